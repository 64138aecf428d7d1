"""The learning-rate explorer's loss plot in the page: keep a canvas's pixels, wait until they
change (or come back), and type a value into a slider's readout."""

from playwright.sync_api import TimeoutError as PlaywrightTimeout

# Canvas helpers installed in the page: keep a copy of a canvas's pixels under a name, the
# fraction of pixels that differ from a kept copy (1 when the size changed), the fraction of
# opaque pixels (matplotlib's figure background is opaque, an empty canvas is not); a canvas
# not yet sized (0 pixels) differs from everything and is not opaque.
CANVAS_JS = """
window.e2eSnapshots = {};
window.e2ePixels = canvas => canvas.width && canvas.height
    ? canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data
    : new Uint8ClampedArray(0);
window.e2eSnapshot = (canvas, name) => { window.e2eSnapshots[name] = window.e2ePixels(canvas); };
window.e2eDifference = (canvas, name) => {
    const a = window.e2eSnapshots[name], b = window.e2ePixels(canvas);
    if (a.length !== b.length || a.length === 0) return 1;
    let n = 0;
    for (let i = 0; i < a.length; i += 4) {
        if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2] || a[i + 3] !== b[i + 3]) n++;
    }
    return n / (a.length / 4);
};
window.e2eOpaque = canvas => {
    const d = window.e2ePixels(canvas);
    let n = 0;
    for (let i = 3; i < d.length; i += 4) n += d[i] === 255;
    return d.length ? n / (d.length / 4) : 0;
};
"""
# A redraw for another learning rate moves the curve and rewrites the status line: thousands
# of pixels (over 0.2% of them); the same picture again differs in none (under 0.02%).
CHANGED, SAME = 0.002, 0.0002


def wait_canvas(page, canvas, name, test, what, explorer, timeout=20):
    """Wait until test holds for d, the fraction of the canvas's pixels that differ from the
    copy kept as name; fail at once if the widget shows an error from train()."""
    try:
        page.wait_for_function(
            f"""([canvas, explorer]) => {{
                if (explorer.innerText.includes(' raised ')) return true;
                const d = window.e2eDifference(canvas, '{name}');
                return {test};
            }}""",
            arg=[canvas, explorer.element_handle()],
            polling=100,
            timeout=timeout * 1000,
        )
        error = None
    except PlaywrightTimeout as timeout_error:
        error = timeout_error
    text = explorer.inner_text()
    d = page.evaluate(f"canvas => window.e2eDifference(canvas, '{name}')", canvas)
    if error or " raised " in text:
        raise AssertionError(
            f"the loss plot never {what} ({d:.3%} of its pixels differ from '{name}'); "
            f"the widget says: {text!r}"
        ) from error


def type_into(page, readout, text):
    """Replace the slider's readout with text and press Enter."""
    readout.click()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")
