
(function () {
  function show(link) {
    document.querySelectorAll('.sent.hl').forEach(function (el) { el.classList.remove('hl'); });
    document.querySelectorAll('[aria-current="true"]').forEach(function (el) { el.removeAttribute('aria-current'); });
    var ids = (link.getAttribute('data-targets') || '').split(' ').filter(Boolean);
    var first = null;
    ids.forEach(function (id) {
      var el = document.getElementById(id);
      if (el) { el.classList.add('hl'); if (!first) { first = el; } }
    });
    link.setAttribute('aria-current', 'true');
    if (first) {
      first.focus({preventScroll: true});
      first.scrollIntoView({block: 'center', behavior: 'auto'});
      if (history.replaceState) { history.replaceState(null, '', '#' + first.id); }
    }
    return first !== null;
  }
  document.addEventListener('click', function (event) {
    var expand = event.target.closest('button.expand');
    if (expand) {
      var card = expand.closest('.source');
      var open = card.classList.toggle('expanded');
      expand.setAttribute('aria-expanded', open ? 'true' : 'false');
      expand.textContent = open ? 'Show only the selected sentences' : 'Show the whole article';
      return;
    }
    var link = event.target.closest('a[data-targets]');
    if (link && show(link)) { event.preventDefault(); }
  });
  if (location.hash.length > 1) {
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.classList.contains('sent')) { target.classList.add('hl'); }
  }
})();
