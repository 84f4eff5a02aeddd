/**
 * The page's whole script (inline, allowed by its CSP hash): filters by state, label and search,
 * regroups the grid by wave or label, builds a cluster's details body when its panel first opens (the
 * body is served as `<noscript>` text, render-cluster-details.ts), opens it from its cell, expands every
 * details element for printing, and announces the number of shown clusters in a live region. Plain
 * ES2017, no dependencies; the page is complete without it (server-rendered), it only adds interaction.
 *
 * Data comes from the `#page-data` JSON block: `s` state names, `w` wave order, `p` label pairs
 * `[key, value]`, `c` clusters `[name, stateIndex, wave, pairIndexes, fieldPaths]` in cell-index order.
 */
export const PAGE_SCRIPT = `(function () {
  'use strict';
  var doc = document;
  var data = JSON.parse(doc.getElementById('page-data').textContent);
  var grid = doc.getElementById('grid');
  var search = doc.getElementById('q');
  var labelSelect = doc.getElementById('label');
  var groupSelect = doc.getElementById('group');
  var shown = doc.getElementById('shown');
  var dense = doc.getElementById('dense');
  var clear = doc.getElementById('clear');
  var none = doc.getElementById('none');
  var chips = Array.prototype.slice.call(doc.querySelectorAll('.chip[data-s]'));
  var tiles = [], panels = [];
  Array.prototype.forEach.call(grid.querySelectorAll('.t'), function (t) { tiles[+t.getAttribute('href').slice(2)] = t; });
  Array.prototype.forEach.call(doc.querySelectorAll('details.cd'), function (d) { panels[+d.id.slice(1)] = d; });
  var clusters = data.c.map(function (c, i) {
    // prototype-free maps: a label named __proto__ or valued "constructor" is just data
    var labels = Object.create(null);
    c[3].forEach(function (p) { labels[data.p[p][0]] = data.p[p][1]; });
    return { i: i, name: c[0].toLowerCase(), state: data.s[c[1]], wave: c[2], pairs: c[3], labels: labels,
      paths: c[4].map(function (p) { return p.toLowerCase(); }) };
  });
  var pressed = Object.create(null);
  doc.getElementById('toolbar').hidden = false;

  // the body is markup the page itself rendered, escaped for text (escape-html.ts), kept as raw text
  function build(panel) {
    var ns = panel.querySelector('noscript');
    if (ns) { ns.insertAdjacentHTML('afterend', ns.textContent); panel.removeChild(ns); }
  }
  function buildAll() { panels.forEach(build); }

  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  function apply() {
    var q = search.value.trim().toLowerCase();
    var pair = labelSelect.value === '' ? -1 : +labelSelect.value;
    var states = Object.keys(pressed).filter(function (s) { return pressed[s]; });
    var count = 0;
    clusters.forEach(function (c) {
      var ok = (states.length === 0 || pressed[c.state]) && (pair < 0 || c.pairs.indexOf(pair) >= 0) &&
        (q === '' || c.name.indexOf(q) >= 0 || c.paths.some(function (p) { return p.indexOf(q) >= 0; }));
      tiles[c.i].hidden = !ok;
      panels[c.i].hidden = !ok;
      if (ok) count++;
    });
    Array.prototype.forEach.call(grid.querySelectorAll('.g'), function (g) {
      var n = g.querySelectorAll('.t:not([hidden])').length;
      g.hidden = n === 0;
      g.querySelector('.gn').textContent = '(' + plural(n, 'cluster') + ')';
    });
    var why = [];
    if (states.length) why.push('state ' + states.join(' or '));
    if (pair >= 0) why.push('label ' + data.p[pair][0] + '=' + data.p[pair][1]);
    if (q !== '') why.push('matching \\u201c' + search.value.trim() + '\\u201d');
    shown.textContent = 'Showing ' + count + ' of ' + plural(clusters.length, 'cluster') + (why.length ? ' with ' + why.join(', ') : '');
    clear.hidden = why.length === 0;
    none.hidden = count > 0;
  }

  function groupOf(c, key) {
    if (key === 'wave') return c.wave;
    if (key.indexOf('l:') === 0) return Object.prototype.hasOwnProperty.call(c.labels, key.slice(2)) ? c.labels[key.slice(2)] : '';
    return null;
  }

  function regroup() {
    var key = groupSelect.value;
    var groups = Object.create(null), names = [];
    clusters.forEach(function (c) {
      var g = groupOf(c, key);
      var k = g === null ? '\\u0000all' : g;
      if (!groups[k]) { groups[k] = []; names.push(k); }
      groups[k].push(c);
    });
    var order = key === 'wave' ? data.w : [];
    names.sort(function (a, b) {
      var ia = order.indexOf(a), ib = order.indexOf(b);
      if (a === '' || b === '') return a === b ? 0 : a === '' ? 1 : -1;
      if (ia >= 0 || ib >= 0) return ia < 0 ? 1 : ib < 0 ? -1 : ia - ib;
      return a < b ? -1 : a > b ? 1 : 0;
    });
    var title = key === 'wave' ? 'Wave ' : key.indexOf('l:') === 0 ? key.slice(2) + ' = ' : '';
    grid.textContent = '';
    names.forEach(function (k) {
      var section = doc.createElement('section');
      section.className = 'g';
      var h = doc.createElement('h3');
      h.textContent = k === '\\u0000all' ? 'All clusters ' : k === '' ? (key === 'wave' ? 'No wave ' : 'No ' + key.slice(2) + ' label ') : title + k + ' ';
      var n = doc.createElement('span');
      n.className = 'gn';
      h.appendChild(n);
      var box = doc.createElement('div');
      box.className = 'tiles';
      groups[k].forEach(function (c) { box.appendChild(tiles[c.i]); });
      section.appendChild(h);
      section.appendChild(box);
      grid.appendChild(section);
    });
    apply();
  }

  chips.forEach(function (chip) {
    chip.addEventListener('click', function () {
      var s = chip.getAttribute('data-s');
      pressed[s] = !pressed[s];
      chip.setAttribute('aria-pressed', pressed[s] ? 'true' : 'false');
      apply();
    });
  });
  search.addEventListener('input', apply);
  labelSelect.addEventListener('change', apply);
  groupSelect.addEventListener('change', regroup);
  dense.addEventListener('click', function () {
    var on = dense.getAttribute('aria-pressed') !== 'true';
    dense.setAttribute('aria-pressed', on ? 'true' : 'false');
    grid.classList.toggle('dense', on);
    // names are hidden in the compact grid: a tooltip names each square
    tiles.forEach(function (t) { if (on) t.title = t.textContent; else t.removeAttribute('title'); });
  });
  clear.addEventListener('click', function () {
    pressed = Object.create(null);
    chips.forEach(function (chip) { chip.setAttribute('aria-pressed', 'false'); });
    search.value = '';
    labelSelect.value = '';
    apply();
    search.focus();
  });

  function openTarget() {
    var id = '';
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    var panel = id ? doc.getElementById(id) : null;
    if (panel && panel.tagName === 'DETAILS') {
      build(panel);
      panel.open = true;
      panel.querySelector('summary').focus({ preventScroll: true });
    }
  }
  grid.addEventListener('click', function (event) {
    var tile = event.target.closest ? event.target.closest('.t') : null;
    if (!tile) return;
    var panel = panels[+tile.getAttribute('href').slice(2)];
    build(panel);
    panel.open = true;
  });
  // a summary clicked (or Enter/Space on it): the body is built before the panel opens, in the same task
  doc.addEventListener('click', function (event) {
    var summary = event.target.closest ? event.target.closest('summary') : null;
    if (summary && summary.parentNode.classList.contains('cd')) build(summary.parentNode);
  }, true);
  // opened any other way (find in page, a script): build it then
  doc.addEventListener('toggle', function (event) {
    if (event.target.open && event.target.classList && event.target.classList.contains('cd')) build(event.target);
  }, true);
  window.addEventListener('hashchange', openTarget);
  openTarget();

  // printing shows every panel expanded; the ones the reader had closed close again afterwards
  var closedForPrint = [];
  window.addEventListener('beforeprint', function () {
    buildAll();
    closedForPrint = panels.filter(function (d) { return !d.open; });
    panels.forEach(function (d) { d.open = true; });
  });
  window.addEventListener('afterprint', function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    closedForPrint = [];
  });
  // print media without beforeprint (print emulation, some print paths): the bodies must exist to be printed
  var printMedia = window.matchMedia ? window.matchMedia('print') : null;
  if (printMedia && printMedia.addEventListener) printMedia.addEventListener('change', function (event) { if (event.matches) buildAll(); });
})();
`;
