// vxpkit report: filter scenarios by verdict and category; open findings and steps for printing.
// Everything the report says is in the HTML itself; this script only shows and hides it.
(function () {
  'use strict';
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr[data-scenario]'));
  var sections = Array.prototype.slice.call(document.querySelectorAll('section.scenario'));
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[data-verdict-filter]'));
  var category = document.getElementById('category-filter');
  var shown = document.getElementById('shown');
  function apply() {
    var verdicts = {};
    boxes.forEach(function (b) { verdicts[b.getAttribute('data-verdict-filter')] = b.checked; });
    var cat = category ? category.value : '';
    var visible = 0;
    function keep(el) {
      return verdicts[el.getAttribute('data-verdict')] !== false &&
             (cat === '' || el.getAttribute('data-category') === cat);
    }
    rows.forEach(function (r) {
      var k = keep(r);
      r.classList.toggle('hidden', !k);
      if (k) visible++;
    });
    sections.forEach(function (s) { s.classList.toggle('hidden', !keep(s)); });
    if (shown) {
      // The page's language gives the sentence: "Showing {shown} of {total} scenarios".
      shown.textContent = (shown.getAttribute('data-template') || '{shown} / {total}')
          .replace('{shown}', visible).replace('{total}', rows.length);
    }
  }
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  if (category) category.addEventListener('change', apply);
  var opened = [];
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details.print-open:not([open])').forEach(function (d) {
      d.setAttribute('open', '');
      opened.push(d);
    });
  });
  window.addEventListener('afterprint', function () {
    opened.forEach(function (d) { d.removeAttribute('open'); });
    opened = [];
  });
  apply();
})();
