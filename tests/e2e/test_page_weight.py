"""The projects index is light: < 300 KB of HTML, CSS and JS, nothing render-blocking elsewhere."""

import json

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BUDGET = 300 * 1024

MEASURE = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const kind = (entry) => {
    const path = new URL(entry.name).pathname;
    if (entry.initiatorType === 'script' || path.endsWith('.js')) return 'js';
    if (entry.initiatorType === 'css' || entry.initiatorType === 'link' && path.endsWith('.css')
        || path.endsWith('.css')) return 'css';
    return 'other';
  };
  return {
    origin: location.origin,
    html: nav.transferSize || nav.encodedBodySize,
    resources: resources.map(e => ({
      url: e.name, kind: kind(e), initiator: e.initiatorType,
      size: e.transferSize || e.encodedBodySize,
      origin: new URL(e.name).origin, blocking: e.renderBlockingStatus || null,
    })),
  };
}"""


def test_projects_index_weight_and_no_foreign_blocking_requests(page, demo_data):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/projects/")
    page.wait_for_load_state("load")
    report = page.evaluate(MEASURE)
    css = sum(r["size"] for r in report["resources"] if r["kind"] == "css")
    js = sum(r["size"] for r in report["resources"] if r["kind"] == "js")
    total = report["html"] + css + js
    print(  # noqa: T201  (figures for the closing note, shown with -s)
        f"/projects/ weight: html={report['html']} css={css} js={js} total={total} bytes; "
        f"cards={page.locator('.card').count()}"
    )
    assert page.locator(".card").count() >= 12, "the demo catalogue should fill the index"
    assert report["html"] > 0 and css > 0
    assert total < BUDGET, json.dumps(report, indent=1)

    elsewhere = [r for r in report["resources"] if r["origin"] != report["origin"]]
    foreign_blocking = [r for r in elsewhere if r["blocking"] == "blocking"]
    assert not foreign_blocking, foreign_blocking
    # Belt and braces: nothing in <head> that blocks rendering points at another host.
    foreign_in_head = page.evaluate(
        """() => [...document.head.querySelectorAll('link[rel=stylesheet], script[src]')]
              .filter(el => el.tagName === 'LINK'
                            || !(el.defer || el.async || el.type === 'module'))
              .map(el => new URL(el.href || el.src, location.href))
              .filter(url => url.origin !== location.origin).map(String)"""
    )
    assert not foreign_in_head, foreign_in_head
    # No CSS, JS or font request at all leaves the site.
    foreign = [r for r in elsewhere if r["kind"] != "other"]
    assert not foreign, foreign
