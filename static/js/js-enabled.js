// Loaded synchronously in <head>, before the first paint: styles for "JavaScript is on" apply
// from the start, without an inline script (the Content-Security-Policy allows none).
document.documentElement.classList.replace("no-js", "js");
