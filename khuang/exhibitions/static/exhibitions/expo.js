// Clicking a booth on a managed exhibition's plan puts its code into the booth desk.
document.addEventListener("click", (event) => {
  const booth = event.target.closest && event.target.closest("svg.floorplan .booth");
  const desk = document.getElementById("desk-booth");
  if (!booth || !desk || booth.closest("a")) return;
  desk.value = booth.dataset.code;
  desk.focus();
});
