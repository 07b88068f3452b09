/* Indonesian month and day names and number marks for Plotly charts (config `locale: "id"`, set by
   dashboard/components/graph.py). Shaped like plotly.js-locales' id.js (MIT); the names are CLDR's, as Babel
   gives them, so charts and tables say "Agu" and "Nov" alike. Plotly may load after this file: it reads
   window.PlotlyLocales when it starts. */
(function () {
    var locale = {
        moduleType: "locale",
        name: "id",
        dictionary: {},
        format: {
            days: ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
            shortDays: ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
            months: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                     "Oktober", "November", "Desember"],
            shortMonths: ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
            date: "%d/%m/%Y",
            decimal: ",",
            thousands: "."
        }
    };
    if (typeof window.Plotly === "undefined") {
        window.PlotlyLocales = window.PlotlyLocales || [];
        window.PlotlyLocales.push(locale);
    } else {
        window.Plotly.register(locale);
    }
})();
