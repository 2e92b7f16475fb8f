//! Metric charts: each metric's values over time, one series per set of providers, as SVG.
//! The one chart renderer of the project: `journal compile` writes `charts/<metric>.svg` next
//! to the documents and `journal serve` shows the same picture. charts-rs draws it (pure Rust,
//! SVG only); the bytes depend on the values alone, so a compile with nothing changed leaves
//! the files as they are.

use charts_rs::{Align, ScatterChart, Series, Symbol};
use journal_entry::metrics::MetricSeries;

/// The folder of the charts, inside the documents' folder.
pub const CHARTS_DIR: &str = "charts";

/// Returns the path of a metric's chart, relative to the documents' folder (metric names are
/// letters, digits, `_`, `.` and `-`: a file name as they are).
pub fn chart_file(metric: &str) -> String {
    format!("{CHARTS_DIR}/{metric}.svg")
}

/// Seconds in a day: the x axis counts days since the first value.
const DAY: f64 = 86_400.0;

/// Makes the address of an entry's page from its id (the web page's `/entries/<id>`).
pub type EntryLink<'a> = &'a dyn Fn(&str) -> String;

/// Returns the chart of one metric as SVG, or the renderer's complaint. Each point carries a
/// `<title>` naming its entry and value (a tooltip), and with `link` is a link to the entry.
pub fn metric_svg(series: &MetricSeries, link: Option<EntryLink<'_>>) -> Result<String, String> {
    let first = series
        .series
        .iter()
        .filter_map(|s| s.points.first().map(|p| p.0))
        .min()
        .unwrap_or_default();
    let last = series
        .series
        .iter()
        .filter_map(|s| s.points.last().map(|p| p.0))
        .max()
        .unwrap_or_default();
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let list: Vec<Series> = series
        .series
        .iter()
        .map(|s| {
            let data = s
                .points
                .iter()
                .flat_map(|&(t, v)| [((t - first) as f64 / DAY) as f32, v as f32])
                .collect();
            Series::new(s.group.clone(), data)
        })
        .collect();
    let mut chart = ScatterChart::new_with_theme(list, "light");
    chart.width = 720.0;
    chart.height = 360.0;
    chart.title.text = series.metric.clone();
    chart.title.align = Align::Left;
    let from = chrono::DateTime::from_timestamp(first, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    chart.sub_title.text = format!("days since {from} (UTC)");
    chart.sub_title.align = Align::Left;
    chart.legend.align = Align::Right;
    chart.margin.right = 24.0;
    chart.x_axis_config.min = Some(0.0);
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let days = (((last - first) as f64 / DAY).ceil() as usize).max(1);
    // Whole days between ticks, each label once: the span is widened to a multiple of the
    // tick count.
    let (ticks, span) = day_ticks(days);
    #[allow(clippy::cast_precision_loss)]
    {
        chart.x_axis_config.max = Some(span as f32);
    }
    chart.x_axis_config.formatter = Some("day {c}".to_owned());
    chart.x_axis_config.split_number = ticks;
    let values = series
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1));
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
        (l.min(v), h.max(v))
    });
    if low.is_finite()
        && let Some(y) = chart.y_axis_configs.first_mut()
    {
        let (min, max, split) = value_ticks(low, high);
        #[allow(clippy::cast_possible_truncation)]
        {
            y.min = Some(min as f32);
            y.max = Some(max as f32);
        }
        y.split_number = split;
    }
    // Every series drawn as circles, as the legend shows them (the colour tells them apart).
    chart.series_symbol_sizes = vec![4.0; series.series.len()];
    chart.series_symbols = vec![Symbol::Circle(4.0, None); series.series.len()];
    let svg = chart
        .svg()
        .map_err(|e| format!("cannot draw the chart of `{}`: {e}", series.metric))?;
    Ok(label_points(&svg, series, link))
}

/// The x axis of a chart over `days` (at least 1): the tick count and the span, a multiple
/// of it, so that every tick falls on a whole day and no label repeats.
fn day_ticks(days: usize) -> (usize, usize) {
    if days <= 7 {
        return (days, days);
    }
    // The tick count (4 to 7) that widens the span least; of equals, the most ticks.
    (4..=7)
        .map(|ticks| (ticks, days.div_ceil(ticks) * ticks))
        .min_by_key(|&(ticks, span)| (span, std::cmp::Reverse(ticks)))
        .unwrap_or((1, days))
}

/// The y axis around values from `low` to `high`: its ends and its number of intervals, on a
/// "nice" step (1, 2 or 5 times a power of ten, at least 0.1: the renderer prints one
/// decimal), so that no two labels read the same. One value gets an axis around it; a range
/// of values that cannot be negative keeps its floor at zero or above.
fn value_ticks(low: f64, high: f64) -> (f64, f64, usize) {
    let (low, high) = if low == high {
        let pad = (low.abs() * 0.1).max(1.0);
        let floor = if low >= 0.0 {
            (low - pad).max(0.0)
        } else {
            low - pad
        };
        (floor, high + pad)
    } else {
        (low, high)
    };
    let raw = (high - low) / 6.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
        .max(0.1);
    let min = (low / step).floor() * step;
    let max = ((high / step).ceil() * step).max(min + step);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let split = ((max - min) / step).round().max(1.0) as usize;
    (min, max, split)
}

/// Gives each drawn point (an element with `data-series`, in series then point order) a
/// `<title>` and, with `link`, a link to its entry. Should the points not come in the order
/// of the series (another renderer version), the chart is left without labels rather than
/// with wrong ones.
fn label_points(svg: &str, series: &MetricSeries, link: Option<EntryLink<'_>>) -> String {
    let expected: Vec<(&str, &str, f64)> = series
        .series
        .iter()
        .flat_map(|s| {
            (s.ids.iter().zip(&s.points)).map(move |(id, p)| (s.group.as_str(), id.as_str(), p.1))
        })
        .collect();
    let mut out = String::with_capacity(svg.len() + expected.len() * 80);
    let mut rest = svg;
    let mut k = 0;
    while let Some(at) = rest.find(" data-series=\"") {
        let (Some(start), Some(close)) = (rest[..at].rfind('<'), rest[at..].find("/>")) else {
            return svg.to_owned();
        };
        let end = at + close + 2;
        let element = &rest[start..end];
        let group = element[at - start + 14..]
            .split('"')
            .next()
            .unwrap_or_default();
        let tag = element[1..].split_whitespace().next().unwrap_or_default();
        let Some(&(expected_group, id, value)) = expected.get(k) else {
            return svg.to_owned();
        };
        if group != expected_group {
            return svg.to_owned();
        }
        let title = xml(&format!(
            "{id}: {} = {}",
            series.metric,
            crate::metrics::number(value)
        ));
        let labelled = format!(
            "{}><title>{title}</title></{tag}>",
            &element[..element.len() - 2]
        );
        out.push_str(&rest[..start]);
        match link {
            Some(link) => out.push_str(&format!("<a href=\"{}\">{labelled}</a>", xml(&link(id)))),
            None => out.push_str(&labelled),
        }
        rest = &rest[end..];
        k += 1;
    }
    if k != expected.len() {
        return svg.to_owned();
    }
    out.push_str(rest);
    out
}

/// Escapes text for an XML attribute or element.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use journal_entry::metrics::{MetricSeries, Series};

    use super::*;

    /// The texts of a chart's labels, in order.
    fn labels(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                let text = t.split_once('>')?.1.split_once("</text>")?.0;
                Some(text.trim().to_owned())
            })
            .collect()
    }

    #[test]
    fn tick_labels_never_repeat_on_tiny_ranges_or_odd_spans() {
        let t0 = 1_790_000_000;
        for (points, days) in [
            (vec![0.0, 0.05, 0.17, 0.0], 7),
            (vec![0.001, 0.004], 9),
            (vec![36.9, 45.1], 11),
            (vec![120.0, 750.0], 14),
            (vec![-3.0, 2.5], 2),
        ] {
            let n = points.len() as i64;
            let series = MetricSeries {
                metric: "m".into(),
                series: vec![Series {
                    group: "g".into(),
                    points: points
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (t0 + i as i64 * days * 86_400 / (n - 1).max(1), *v))
                        .collect(),
                    ids: (0..points.len()).map(|i| format!("e{i}")).collect(),
                }],
            };
            let svg = metric_svg(&series, None).unwrap();
            let texts = labels(&svg);
            let days_labels: Vec<&String> =
                texts.iter().filter(|t| t.starts_with("day ")).collect();
            let values: Vec<&String> = texts.iter().filter(|t| t.parse::<f64>().is_ok()).collect();
            for list in [&days_labels, &values] {
                let distinct: std::collections::BTreeSet<&&String> = list.iter().collect();
                assert_eq!(
                    distinct.len(),
                    list.len(),
                    "{points:?} over {days} days: {texts:?}"
                );
            }
            assert!(
                days_labels.iter().all(|d| !d.contains('.')),
                "whole days: {days_labels:?}"
            );
            assert!(values.len() >= 2, "{texts:?}");
        }
    }

    #[test]
    fn axes_fall_on_nice_steps() {
        assert_eq!(day_ticks(1), (1, 1));
        assert_eq!(day_ticks(7), (7, 7));
        assert_eq!(day_ticks(9), (5, 10));
        assert_eq!(day_ticks(14), (7, 14));
        assert_eq!(day_ticks(11), (6, 12));
        let (min, max, split) = value_ticks(0.0, 0.17);
        assert_eq!(split, 2);
        assert!(min.abs() < 1e-9 && (max - 0.2).abs() < 1e-9);
        assert_eq!(value_ticks(41.0, 41.0), (36.0, 46.0, 5));
        assert_eq!(value_ticks(120.0, 750.0), (0.0, 800.0, 4));
    }

    fn latency() -> MetricSeries {
        let t0 = 1_790_000_000;
        MetricSeries {
            metric: "latency_ms".into(),
            series: vec![
                Series {
                    group: "gcp+hetzner".into(),
                    points: (0..8)
                        .map(|d| (t0 + d * 86_400, 20.0 + f64::from(d as i32)))
                        .collect(),
                    ids: (0..8).map(|d| format!("e{d}")).collect(),
                },
                Series {
                    group: "hetzner".into(),
                    points: vec![(t0 + 3_600, 0.4), (t0 + 2 * 86_400, 0.5)],
                    ids: vec!["h0".into(), "h1".into()],
                },
            ],
        }
    }

    #[test]
    fn a_chart_names_its_metric_and_series_and_is_the_same_bytes_every_time() {
        let svg = metric_svg(&latency(), None).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
        for text in [
            "latency_ms",
            "gcp+hetzner",
            "hetzner",
            "day 7",
            "days since",
        ] {
            assert!(svg.contains(text), "{text}");
        }
        assert_eq!(svg, metric_svg(&latency(), None).unwrap());
        assert_eq!(chart_file("latency_ms"), "charts/latency_ms.svg");
    }

    #[test]
    fn points_are_circles_as_in_the_legend_and_one_value_gets_an_axis_around_it() {
        let svg = metric_svg(&latency(), None).unwrap();
        assert!(!svg.contains("<polygon"), "every series as circles");
        let one = MetricSeries {
            metric: "unlock_s".into(),
            series: vec![Series {
                group: "hetzner".into(),
                points: vec![(1_790_000_000, 4.0)],
                ids: vec!["u".into()],
            }],
        };
        let svg = metric_svg(&one, None).unwrap();
        assert!(svg.contains("<title>u: unlock_s = 4</title>"), "{svg}");
        // The axis runs around the value (3 to 5), not from 4 to 4.
        assert!(svg.contains(">\n3\n<") || svg.contains(">3<"), "{svg}");
        assert!(svg.contains(">\n5\n<") || svg.contains(">5<"), "{svg}");
    }

    #[test]
    fn each_point_names_its_entry_and_links_to_it_when_asked() {
        let svg = metric_svg(&latency(), None).unwrap();
        assert_eq!(svg.matches("<title>").count(), 10, "{svg}");
        assert!(svg.contains("<title>e3: latency_ms = 23</title>"), "{svg}");
        assert!(svg.contains("<title>h1: latency_ms = 0.5</title>"), "{svg}");
        let page = |id: &str| format!("/entries/{id}");
        let linked = metric_svg(&latency(), Some(&page)).unwrap();
        assert_eq!(linked.matches("<a href=\"/entries/").count(), 10);
        assert!(linked.contains("<a href=\"/entries/h0\">"), "{linked}");
    }
}
