// True once Voilà has drawn the whole page: the loading spinner is gone, every cell's output
// is in place and no widget still says "Loading widget...". Shared by the browser tests
// (tests/conftest.py) and the benchmarks (benchmarks/__main__.py): one definition of "ready".
() => {
  if (document.getElementById('loading')) return false;
  const cells = document.getElementById('rendered_cells');
  if (!cells || getComputedStyle(cells).display === 'none') return false;
  if (document.querySelector('script[type="application/vnd.voila.cell-output+json"]')) return false;
  for (const node of document.querySelectorAll('.jp-OutputArea-output')) {
    if (node.textContent === 'Loading widget...') return false;
  }
  return true;
}
