// smsbook: the colour theme chosen on an earlier visit, set before the page is drawn.
try { var t = localStorage.getItem("smsbook-theme"); if (t) document.documentElement.setAttribute("data-theme", t); } catch (e) { /* no storage */ }
