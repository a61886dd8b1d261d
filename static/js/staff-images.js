// Staff image gallery: drag to reorder with SortableJS (installed from npm, served from our static
// files). After a drop that changed the order, the gallery form is posted through htmx (trigger
// "reordered"); the answer replaces the gallery, and htmx.onLoad makes the new list sortable again.
htmx.onLoad((content) => {
  content.querySelectorAll("[data-sortable]").forEach((list) => {
    const form = list.closest("form");
    Sortable.create(list, {
      animation: 150,
      draggable: ".image-tile",
      ghostClass: "image-tile-ghost",
      filter: "button",          // the ◀ ▶ and Delete buttons stay clickable
      preventOnFilter: false,
      onEnd(event) {
        if (event.oldIndex === event.newIndex) return;
        this.option("disabled", true);  // until the saved order comes back
        htmx.trigger(form, "reordered");
      },
    });
  });
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
