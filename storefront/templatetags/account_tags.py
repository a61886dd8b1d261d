"""Template filters of the account pages."""

import re

from django import template

register = template.Library()

# Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari" too.
_BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("HeadlessChrome/", "Headless Chrome"),
             ("Chrome/", "Chrome"), ("CriOS/", "Chrome"), ("Safari/", "Safari")]
_SYSTEMS = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux")]


@register.filter
def device_label(user_agent: str) -> str:
    """A short name for a browser's User-Agent, e.g. "Chrome on Windows"; the text itself when unknown."""
    user_agent = user_agent or ""
    browser = next((name for token, name in _BROWSERS if token in user_agent), None)
    system = next((name for token, name in _SYSTEMS if re.search(rf"\b{re.escape(token)}", user_agent)), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or user_agent
