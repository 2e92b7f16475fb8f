//! Metric charts: each metric's values over time, one series per set of providers, as SVG.
//! The one chart renderer of the project: `journal compile` writes `charts/<metric>.svg` next
//! to the documents and `journal serve` shows the same picture. charts-rs draws it (pure Rust,
//! SVG only); the bytes depend on the values alone, so a compile with nothing changed leaves
//! the files as they are.

use charts_rs::{Align, ScatterChart, Series};
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

/// Returns the chart of one metric as SVG, or the renderer's complaint.
pub fn metric_svg(series: &MetricSeries) -> Result<String, String> {
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
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let span = (((last - first) as f64 / DAY).ceil() as f32).max(1.0);
    chart.x_axis_config.max = Some(span);
    chart.x_axis_config.formatter = Some("day {c}".to_owned());
    chart.series_symbol_sizes = vec![4.0; series.series.len()];
    chart
        .svg()
        .map_err(|e| format!("cannot draw the chart of `{}`: {e}", series.metric))
}

#[cfg(test)]
mod tests {
    use journal_entry::metrics::{MetricSeries, Series};

    use super::*;

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
                },
                Series {
                    group: "hetzner".into(),
                    points: vec![(t0 + 3_600, 0.4), (t0 + 2 * 86_400, 0.5)],
                },
            ],
        }
    }

    #[test]
    fn a_chart_names_its_metric_and_series_and_is_the_same_bytes_every_time() {
        let svg = metric_svg(&latency()).unwrap();
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
        assert_eq!(svg, metric_svg(&latency()).unwrap());
        assert_eq!(chart_file("latency_ms"), "charts/latency_ms.svg");
    }
}
