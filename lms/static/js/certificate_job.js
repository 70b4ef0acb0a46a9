// The bulk-issue progress page polls its job's progress and reloads once the job has finished.
// Without JavaScript the page works by reloading it by hand.
(function () {
  const box = document.getElementById("job");
  if (!box || box.dataset.finished === "yes") return;
  const part = (name) => box.querySelector(`[data-job="${name}"]`);
  async function poll() {
    try {
      const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const job = await response.json();
        part("bar").value = job.percent;
        part("bar").textContent = `${job.percent} %`;
        part("done").textContent = job.done;
        part("total").textContent = job.total;
        part("issued").textContent = job.issued;
        part("state").textContent = job.state_label;
        if (job.finished) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // A dropped connection: try again at the next tick.
    }
    window.setTimeout(poll, 1500);
  }
  window.setTimeout(poll, 1000);
})();
