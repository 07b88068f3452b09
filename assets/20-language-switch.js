/* The language switch keeps the reader on the page they are reading, with its filters: just before the
   browser follows an ID/EN link, its `next` becomes this page's address plus `keep=<token of this view>`,
   under which Dash persistence has kept the pickers' values (dashboard/access.py, keep_filters). */
document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("a.lang-link");
    if (!link) { return; }
    const view = document.querySelector("[data-view]");
    const here = new URL(window.location.href);
    here.searchParams.delete("keep");
    if (view) { here.searchParams.set("keep", view.getAttribute("data-view")); }
    const target = new URL(link.getAttribute("href"), window.location.origin);
    target.searchParams.set("next", here.pathname + here.search);
    link.setAttribute("href", target.pathname + target.search);
}, true);
