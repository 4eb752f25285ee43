using System.Globalization;
using System.Net;
using System.Text;

namespace TaskQueue.Benchmarks.ScaleOut;

/// <summary>One line of a chart: its name, its points and whether it is drawn dashed (a reference line).</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);

/// <summary>A plain SVG line chart: axes from zero, five ticks on each, a legend; enough for a docs page, no dependency.</summary>
public static class SvgChart
{
    private const double Width = 640;
    private const double Height = 360;
    private const double Left = 70;
    private const double Right = 170;
    private const double Top = 40;
    private const double Bottom = 50;
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];

    /// <summary>The chart's SVG text.</summary>
    public static string Render(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var points = series.SelectMany(s => s.Points).ToList();
        var maxX = Nice(points.Count == 0 ? 1 : points.Max(p => p.X));
        var maxY = Nice(points.Count == 0 ? 1 : points.Max(p => p.Y));
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        string X(double x) => F(Left + (x / maxX * plotWidth));
        string Y(double y) => F(Top + plotHeight - (y / maxY * plotHeight));

        var svg = new StringBuilder();
        svg.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(F($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(F($"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{Escape(title)}</text>\n"));
        for (var i = 0; i <= 5; i++)
        {
            var x = maxX * i / 5;
            var y = maxY * i / 5;
            svg.Append(F($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(y)}\" y2=\"{Y(y)}\" stroke=\"#e0e0e0\"/>\n"));
            svg.Append(F($"<text x=\"{Left - 6}\" y=\"{Y(y)}\" text-anchor=\"end\" dominant-baseline=\"middle\">{Label(y)}</text>\n"));
            svg.Append(F($"<text x=\"{X(x)}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{Label(x)}</text>\n"));
        }

        svg.Append(F($"<line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n"));
        svg.Append(F($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Height - Bottom}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n"));
        svg.Append(F($"<text x=\"{Left + (plotWidth / 2)}\" y=\"{Height - 12}\" text-anchor=\"middle\">{Escape(xLabel)}</text>\n"));
        svg.Append(F($"<text x=\"16\" y=\"{Top + (plotHeight / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {Top + (plotHeight / 2)})\">{Escape(yLabel)}</text>\n"));
        for (var i = 0; i < series.Count; i++)
        {
            var colour = Colours[i % Colours.Length];
            var dash = series[i].Dashed ? " stroke-dasharray=\"6 4\"" : string.Empty;
            var line = string.Join(' ', series[i].Points.Select(p => $"{X(p.X)},{Y(p.Y)}"));
            svg.Append(F($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash} points=\"{line}\"/>\n"));
            if (series[i].Points.Count <= 12)
            {
                foreach (var (x, y) in series[i].Points)
                {
                    svg.Append(F($"<circle cx=\"{X(x)}\" cy=\"{Y(y)}\" r=\"3\" fill=\"{colour}\"/>\n"));
                }
            }

            var legendY = Top + 10 + (i * 20);
            svg.Append(F($"<line x1=\"{Width - Right + 12}\" x2=\"{Width - Right + 36}\" y1=\"{legendY}\" y2=\"{legendY}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>\n"));
            svg.Append(F($"<text x=\"{Width - Right + 42}\" y=\"{legendY}\" dominant-baseline=\"middle\">{Escape(series[i].Name)}</text>\n"));
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    // The smallest of 1, 2, 2.5, 5 times a power of ten at or above the value, so ticks fall on round numbers.
    private static double Nice(double value)
    {
        if (value <= 0)
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * power).First(m => m >= value);
    }

    private static string Label(double value) => value.ToString(value >= 100 || value == Math.Floor(value) ? "N0" : "0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
