// Staff variant matrix: an "Add another colour" button that copies the empty colour row.
// Without JavaScript the form still offers its blank rows, so the button stays hidden.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("add-colour");
  const template = document.getElementById("colour-row-template");
  const rows = document.getElementById("colour-rows");
  if (!button || !template || !rows) return;
  let count = rows.querySelectorAll(".colour-row").length;
  button.hidden = false;
  button.addEventListener("click", () => {
    count += 1;
    const row = template.content.firstElementChild.cloneNode(true);
    row.querySelectorAll("input").forEach((input, index) => {
      const id = `colour-${index === 0 ? "name" : "hex"}-${count}`;
      input.id = id;
      input.previousElementSibling.htmlFor = id;
    });
    template.before(row);
    row.querySelector("input[type=text]").focus();
  });
});
