// map.js draws the network's map (/network/map) with Leaflet, which the
// page loads from this instance before this file (both deferred). The page
// lists every place without it; this only adds the map: the tiles from the
// configured server, one marker per feature of the page's GeoJSON, each
// with a popup that links to the event's or association's page.
(function () {
	"use strict";
	var el = document.getElementById("map");
	if (!el || !window.L) {
		return;
	}
	var d = el.dataset;
	el.hidden = false;
	var map = L.map(el, { scrollWheelZoom: false, worldCopyJump: true });
	// The attribution is plain text in the configuration; Leaflet writes
	// it as HTML, so it is escaped here.
	var credit = document.createElement("span");
	credit.textContent = d.attribution || "";
	L.tileLayer(d.tiles, { maxZoom: 19, attribution: credit.innerHTML }).addTo(map);
	map.setView([20, 0], 2);
	var icon = function (kind) {
		return L.icon({
			iconUrl: d.icon, iconRetinaUrl: d.icon2x, shadowUrl: d.shadow,
			iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41],
			className: "marker-" + kind
		});
	};
	var icons = { event: icon("event"), association: icon("association") };
	var lang = document.documentElement.lang || "en";
	var when = function (p) {
		try {
			var f = new Intl.DateTimeFormat(lang, { dateStyle: "full", timeStyle: "short", timeZone: p.timezone || "UTC" });
			return f.format(new Date(p.starts)) + (p.timezone ? " (" + p.timezone + ")" : "");
		} catch (e) {
			return p.starts;
		}
	};
	var line = function (parent, text) {
		var p = document.createElement("p");
		p.textContent = text;
		parent.appendChild(p);
	};
	var popup = function (f) {
		var p = f.properties;
		var box = document.createElement("div");
		var kind = document.createElement("p");
		kind.textContent = p.kind === "event" ? d.event : d.association;
		box.appendChild(kind);
		var a = document.createElement("a");
		a.href = p.url;
		a.textContent = p.name;
		var title = document.createElement("p");
		var strong = document.createElement("strong");
		strong.appendChild(a);
		title.appendChild(strong);
		box.appendChild(title);
		if (p.kind === "event") {
			line(box, when(p));
		}
		var where = [p.place, p.locality].filter(Boolean).join(" · ");
		if (where) {
			line(box, where);
		}
		if (p.kind === "event" && p.association) {
			line(box, p.association);
		}
		return box;
	};
	var markers = {};
	var count = 0;
	fetch(d.places, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
		.then(function (r) {
			if (!r.ok) {
				throw new Error("places: " + r.status);
			}
			return r.json();
		})
		.then(function (fc) {
			var layer = L.geoJSON(fc, {
				pointToLayer: function (f, at) {
					return L.marker(at, { icon: icons[f.properties.kind] || icons.event, title: f.properties.name, alt: f.properties.name });
				},
				onEachFeature: function (f, m) {
					m.bindPopup(popup(f));
					markers[f.properties.url] = m;
					count++;
				}
			}).addTo(map);
			if (count > 0) {
				map.fitBounds(layer.getBounds(), { maxZoom: 13, padding: [24, 24] });
			}
			el.dataset.markers = String(count);
			// "On the map" links aim at a list item (#event-…): open its
			// marker's popup.
			var target = location.hash && document.getElementById(location.hash.slice(1));
			var link = target && target.querySelector("a[href]");
			var m = link && markers[link.href];
			if (m) {
				map.setView(m.getLatLng(), 14);
				m.openPopup();
				el.scrollIntoView();
			}
		})
		.catch(function () {
			el.dataset.markers = "0";
			var p = document.createElement("p");
			p.className = "alert";
			p.textContent = d.failedText;
			el.parentNode.insertBefore(p, el);
		});
}());
