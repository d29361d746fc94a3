"""Bar-chart geometry (egov.charts): bars scaled to the largest row total, stacked in series
order, a legend only for several series, kept inside the chart's width."""

from egov.charts import BLUE, GREEN, ORANGE, RED, Series, bar_chart


def test_rows_are_scaled_to_the_largest_total_and_stacked_in_series_order():
    chart = bar_chart(
        id="c",
        title="t",
        description="d",
        data=[("Jawa Barat", [300, 100]), ("Bali", [100, 0])],
        series=[Series("Aktif", GREEN), Series("Ditangguhkan", ORANGE)],
    )

    first, second = chart.rows
    assert [(s.x, s.width, s.value) for s in first.segments] == [
        (190.0, 240.0, 300),
        (430.0, 80.0, 100),
    ]
    assert [(s.x, s.width) for s in second.segments] == [(190.0, 80.0), (270.0, 0.0)]
    assert (first.total, second.total) == (400, 100)
    assert chart.height == 26 + 2 * 30  # legend, then a row each
    assert [e.x for e in chart.legend] == [190, 330]


def test_one_series_has_no_legend_and_an_empty_chart_still_has_a_row_of_height():
    chart = bar_chart(id="c", title="t", description="d", data=[], series=[Series("x", BLUE)])

    assert (chart.legend, chart.rows, chart.height) == ((), (), 30)


def test_many_series_share_the_legend_width():
    chart = bar_chart(
        id="c",
        title="t",
        description="d",
        data=[("a", [1, 1, 1, 1])],
        series=[Series(n, c) for n, c in zip("abcd", (GREEN, ORANGE, BLUE, RED), strict=True)],
    )

    assert [e.x for e in chart.legend] == [190, 302, 414, 526]
    assert chart.legend[-1].text_x < chart.width
