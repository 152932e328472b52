// Searchable selects (tmhub/core/widgets.py): Tom Select on every select[data-searchable].
//   data-searchable="local"   all options are in the page; typing filters them.
//   data-searchable="remote"  options come from data-searchable-url?q=… as one types
//                             ({"results": [{"value", "text"}], "more"}), in the server's order.
// The words shown come from data-placeholder / data-no-results / data-loading / data-remove
// (translated by the server). Started on page load and on every HTMX swap; no inline script.
(function () {
  "use strict";

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function remoteOptions(select, url) {
    // The last answer: for its query, exactly its options in the server's order; for a query
    // still on its way, what is loaded is filtered by its text meanwhile.
    var latest = {};
    var latestQuery = null;
    return {
      valueField: "value",
      labelField: "text",
      searchField: ["text"],
      preload: "focus",
      loadThrottle: 250,
      shouldLoad: function () { return true; },
      score: function (search) {
        var byText = this.sifter.getScoreFunction(search, this.getSearchOptions());
        return function (item) {
          if (latestQuery !== search) { return byText(item); }
          return latest.hasOwnProperty(item.value) ? latest[item.value] : 0;
        };
      },
      load: function (query, callback) {
        var self = this;
        var address = url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
        fetch(address, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            latest = {};
            latestQuery = query;
            data.results.forEach(function (item, index) { latest[item.value] = data.results.length - index; });
            self.clearOptions();  // keeps the chosen ones
            callback(data.results);
          })
          .catch(function () { callback(); });
      }
    };
  }

  function start(select) {
    if (select.tomselect || typeof TomSelect === "undefined") { return; }
    var data = select.dataset;
    var options = {
      create: false,
      // The empty "---------" choice is not shown as a chosen item (it read "--------- 数论"
      // while typing); the placeholder says what to do, and an optional select gets a clear
      // button instead.
      allowEmptyOption: false,
      maxOptions: 200,
      placeholder: data.placeholder || "",
      plugins: select.multiple ? { remove_button: { title: data.remove || "" } }
        : (select.required ? [] : { clear_button: { title: data.remove || "" } }),
      render: {
        no_results: function () { return '<div class="no-results">' + escapeHtml(data.noResults) + "</div>"; },
        loading: function () { return '<div class="spinner-border spinner-border-sm m-2" role="status"><span class="visually-hidden">' + escapeHtml(data.loading) + "</span></div>"; }
      }
    };
    if (data.searchable === "remote" && data.searchableUrl) {
      Object.assign(options, remoteOptions(select, data.searchableUrl));
    }
    new TomSelect(select, options);
  }

  function startAll(root) {
    (root || document).querySelectorAll("select[data-searchable]").forEach(start);
  }

  document.addEventListener("DOMContentLoaded", function () { startAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { startAll(event.target); });
})();
