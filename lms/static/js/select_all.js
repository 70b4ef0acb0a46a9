// A checkbox marked data-select-all="NAME" ticks or clears every checkbox named NAME shown on the page, and
// follows them (ticked when all are). Without JavaScript the "add all shown" button does the same job.
document.querySelectorAll("[data-select-all]").forEach((master) => {
  const boxes = () => document.querySelectorAll(`input[type=checkbox][name="${master.dataset.selectAll}"]`);
  master.hidden = false;
  if (master.labels) master.labels.forEach((label) => { label.hidden = false; });
  master.addEventListener("change", () => boxes().forEach((box) => { box.checked = master.checked; }));
  boxes().forEach((box) => box.addEventListener("change", () => {
    master.checked = [...boxes()].every((each) => each.checked);
  }));
});
