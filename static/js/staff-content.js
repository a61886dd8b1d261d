// Staff content lists: drag the ⠿ handle to reorder with SortableJS (installed from npm, served from
// our static files). After a drop that changed the order, the list's form is posted through htmx
// (trigger "reordered"); the answer replaces the list, and htmx.onLoad makes it sortable again.
htmx.onLoad((content) => {
  content.querySelectorAll("[data-sortable]").forEach((list) => {
    const form = list.closest("form");
    Sortable.create(list, {
      animation: 150,
      handle: ".drag-handle",
      draggable: ".content-row",
      ghostClass: "content-row-ghost",
      onEnd(event) {
        if (event.oldIndex === event.newIndex) return;
        this.option("disabled", true);  // until the saved order comes back
        htmx.trigger(form, "reordered");
      },
    });
  });
});
