/* Keyboard and screen-reader access to what Dash's own components render (dashboard/a11y.py):

   - DataTable: Tab and Shift+Tab leave the table as they leave anything else (the table's key handler
     otherwise moves between its cells and keeps the focus inside), and the arrow keys and Space work on a
     row-selection box as on any radio or checkbox. The pager buttons, the row-selection boxes, the filter
     boxes and the case toggle get names.
   - dcc.Dropdown: its button is the stop in the Tab order, instead of the hidden input that passed the focus
     on to it (focusable while hidden from screen readers).
   - dcc.DatePickerSingle: its ARIA states move from a plain div to its text box.
   - A table that scrolls sideways can be reached and scrolled with the keyboard; a file input is named by its
     drop zone's words.
   - The skip link moves the focus to the page's content, and following a link of the app moves it to the new
     page's title once the page has arrived.

   The words, in the reader's language, are the data-* attributes of #shell-a11y-words. */
(function () {
    "use strict";
    const TABLE = ".dash-spreadsheet-container";
    const NAVIGATION_KEYS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", " ", "Spacebar"];

    function word(name, values) {
        const holder = document.getElementById("shell-a11y-words");
        let text = (holder && holder.getAttribute("data-" + name)) || "";
        Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
        return text.trim();
    }

    function name(element, text) {
        if (text && element.getAttribute("aria-label") !== text) { element.setAttribute("aria-label", text); }
    }

    // --- the DataTable's keys: capture phase, before the table's own handler sees them ---------------------
    document.addEventListener("keydown", function (event) {
        const target = event.target;
        if (!(target instanceof Element) || !target.closest(TABLE) || event.ctrlKey || event.metaKey || event.altKey) {
            return;
        }
        const box = target.matches("td.dash-select-cell input");
        if (event.key === "Tab" || (box && NAVIGATION_KEYS.indexOf(event.key) >= 0)) {
            event.stopPropagation();  // the browser's own behaviour: next control, or the next radio of the group
        }
    }, true);

    // --- names and tab stops, kept as Dash renders ------------------------------------------------------------
    function label(root) {
        ["first-page", "previous-page", "next-page", "last-page"].forEach(function (kind) {
            root.querySelectorAll(".previous-next-container button." + kind).forEach(function (button) {
                name(button, word(kind));
                if (button.getAttribute("title") !== word(kind)) { button.setAttribute("title", word(kind)); }
            });
        });
        root.querySelectorAll(".previous-next-container input.current-page").forEach(function (input) {
            name(input, word("current-page"));
        });
        root.querySelectorAll("td.dash-select-cell input").forEach(function (input) {
            const row = input.closest("tr");
            const first = row && row.querySelector("td.dash-cell");
            name(input, word("select-row", {row: first ? first.innerText.trim() : ""}));
        });
        root.querySelectorAll("th.dash-filter").forEach(function (cell) {
            const column = cell.getAttribute("data-dash-column");
            const table = cell.closest("table");
            const header = table && table.querySelector("th.dash-header[data-dash-column='" + column + "'] .column-header-name");
            const input = cell.querySelector("input:not(.dash-filter--case)");
            if (input) { name(input, word("filter", {column: header ? header.innerText.trim() : column})); }
            cell.querySelectorAll(".dash-filter--case").forEach(function (toggle) {
                name(toggle, word("case"));
                if (toggle.getAttribute("title") !== word("case")) { toggle.setAttribute("title", word("case")); }
                const on = toggle.classList.contains("dash-filter--case--sensitive") ? "true" : "false";
                if (toggle.getAttribute("aria-pressed") !== on) { toggle.setAttribute("aria-pressed", on); }
            });
        });
        root.querySelectorAll("button.dash-dropdown").forEach(function (button) {
            const tab = button.disabled ? "-1" : "0";
            if (button.getAttribute("tabindex") !== tab) { button.setAttribute("tabindex", tab); }
        });
        root.querySelectorAll(".table-responsive, .dash-spreadsheet-container .dash-spreadsheet").forEach(function (box) {
            const scrolls = box.scrollWidth > box.clientWidth + 1;
            if (scrolls && !box.hasAttribute("tabindex")) {
                box.setAttribute("tabindex", "0");
                box.setAttribute("role", "region");
                name(box, word("scroll-table"));
            }
        });
        // dcc.DatePickerSingle states "opens a dialog, open or closed" on a plain div, where ARIA does not allow
        // it: the text box it holds says it instead, as a combobox (again each time the picker opens or closes).
        root.querySelectorAll(".dash-datepicker-input-wrapper[aria-expanded]").forEach(function (wrapper) {
            const input = wrapper.querySelector("input");
            if (!input) { return; }
            input.setAttribute("role", "combobox");
            input.setAttribute("aria-haspopup", wrapper.getAttribute("aria-haspopup") || "dialog");
            input.setAttribute("aria-expanded", wrapper.getAttribute("aria-expanded"));
            wrapper.removeAttribute("aria-haspopup");
            wrapper.removeAttribute("aria-expanded");
        });
        root.querySelectorAll("input[type=file]").forEach(function (input) {
            const zone = input.parentElement;
            if (zone && !input.hasAttribute("aria-label")) { name(input, zone.innerText.trim()); }
        });
    }

    // --- the focus: skip link, and the new page's title after following a link ------------------------------
    function pageTitle() {
        return document.querySelector("#_pages_content .page-title, #_pages_content #shell-not-authorised h2");
    }

    function focusContent() {
        const target = pageTitle() || document.getElementById("shell-main");
        if (!target) { return false; }
        if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
        target.focus();
        return true;
    }

    document.addEventListener("click", function (event) {
        const link = event.target instanceof Element && event.target.closest("a.skip-link");
        if (link && focusContent()) { event.preventDefault(); }
    });

    // After a link of the app, the new page has arrived when its title differs from the one on screen when the
    // link was followed (Dash may reuse the element) and its content is no longer loading.
    let awaited = null;  // {path, title element, title text, until}
    function navigated() {
        const old = pageTitle();
        awaited = {path: window.location.pathname, title: old, text: old ? old.innerText : null,
                   until: Date.now() + 15000};
    }
    window.addEventListener("_dashprivate_pushstate", navigated);
    window.addEventListener("popstate", navigated);

    function arrived() {
        if (!awaited) { return; }
        if (awaited.path !== window.location.pathname || Date.now() > awaited.until) { awaited = null; return; }
        const content = document.getElementById("_pages_content");
        const title = pageTitle();
        if (!content || !title || content.getAttribute("data-dash-is-loading") === "true") { return; }
        if (title !== awaited.title || title.innerText !== awaited.text) {
            awaited = null;
            focusContent();
        }
    }

    let queued = false;
    new MutationObserver(function () {
        arrived();
        if (queued) { return; }
        queued = true;
        window.requestAnimationFrame(function () { queued = false; label(document); });
    }).observe(document.documentElement, {childList: true, subtree: true, attributes: true,
                                          attributeFilter: ["data-dash-is-loading", "class", "disabled", "aria-expanded"],
                                          characterData: true});
})();
