package org.mlsbridge.app.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws a bench run as one PNG: a panel per operation, cost (median) against group size, both
 * axes logarithmic, our full and sparse trees as solid lines and another stack's published
 * figures as hollow marks on dashed lines beside them. On log-log axes a slope of 0 is constant
 * cost and a slope of 1 is linear cost, so the asymptotics can be read off the picture.
 */
final class BenchPlot {
    static final int WIDTH = 1500;
    static final int HEIGHT = 1240;
    private static final int COLUMNS = 3;
    private static final int TITLE_HEIGHT = 40;
    private static final double EDGE_ROOM = 1.3;

    /** One line in a panel: a JSON key drawn under a label in a colour. */
    record Line(String label, String key, Color color) {
    }

    /** One panel: an operation (or a pair of related ones) and the unit of its keys. */
    record Panel(String title, String unit, List<Line> lines) {
    }

    private static final Color FULL = new Color(0x1f, 0x77, 0xb4);
    private static final Color SPARSE = new Color(0xff, 0x7f, 0x0e);
    private static final Color SECOND = new Color(0x2c, 0xa0, 0x2c);

    static final List<Panel> PANELS = List.of(
            shapes("add a member: commit + Welcome", "add_commit_ms"),
            shapes("process that add", "add_process_ms"),
            shapes("join from the Welcome", "join_ms"),
            shapes("update: commit with a path", "update_commit_ms"),
            shapes("process that update", "update_process_ms"),
            shapes("remove: commit with a path", "remove_commit_ms"),
            shapes("process that remove", "remove_process_ms"),
            new Panel("build: one commit adding N-1", "ms", List.of(new Line("ours", "build_ms", FULL))),
            new Panel("application message, 100 bytes", "µs", List.of(new Line("ours, encrypt", "app_encrypt_us", FULL),
                    new Line("ours, decrypt", "app_decrypt_us", SECOND))));

    private static Panel shapes(String title, String key) {
        return new Panel(title, "ms", List.of(new Line("ours, full tree", key, FULL),
                new Line("ours, sparse tree", "sparse_" + key, SPARSE)));
    }

    private final BenchReport report;
    private final ReferenceFigures reference;

    BenchPlot(BenchReport report, ReferenceFigures reference) {
        this.report = report;
        this.reference = reference;
    }

    void writePng(Path file) throws IOException {
        if (!ImageIO.write(render(), "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    BufferedImage render() {
        // Rendering needs no display; without this a desktop-less machine may try to open one.
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString(String.format(Locale.ROOT, "mlsbridge bench, suite %d: median cost against group size "
                    + "(log-log); hollow squares, dashed: the %s (docs/performance.md)", report.suite(), reference.stack()),
                    16, 26);
            int rows = (PANELS.size() + COLUMNS - 1) / COLUMNS;
            double w = (double) WIDTH / COLUMNS;
            double h = (double) (HEIGHT - TITLE_HEIGHT) / rows;
            for (int i = 0; i < PANELS.size(); i++) {
                Rectangle2D area = new Rectangle2D.Double((i % COLUMNS) * w, TITLE_HEIGHT + (i / COLUMNS) * h, w, h);
                chart(PANELS.get(i)).draw(g, area);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    JFreeChart chart(Panel panel) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (Line line : panel.lines()) {
            XYSeries ours = new XYSeries(line.label());
            report.sizes().forEach((n, values) -> {
                if (values.get(line.key()) instanceof Stats s && s.median() > 0) {
                    ours.add(n.doubleValue(), s.median());
                }
            });
            add(data, renderer, ours, line.color(), false);
            Map<Integer, Double> ref = reference.of(line.key());
            if (!ref.isEmpty()) {
                XYSeries theirs = new XYSeries(reference.stack() + ", "
                        + (line.key().startsWith("sparse_") ? "sparse tree" : last(line.label())));
                ref.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(e -> theirs.add(e.getKey().doubleValue(), e.getValue()));
                add(data, renderer, theirs, line.color(), true);
            }
        }
        LogAxis sizes = logAxis("group size (members)");
        LogAxis cost = logAxis(panel.unit());
        wholeDecades(sizes, data, true);
        wholeDecades(cost, data, false);
        XYPlot plot = new XYPlot(data, sizes, cost, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(panel.title(), new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(4, 4, 4, 16));
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        chart.setTitle(new TextTitle(panel.title(), new Font(Font.SANS_SERIF, Font.BOLD, 15)));
        return chart;
    }

    private static String last(String label) {
        int comma = label.lastIndexOf(", ");
        return comma < 0 ? label : label.substring(comma + 2);
    }

    private static void add(XYSeriesCollection data, XYLineAndShapeRenderer renderer, XYSeries series, Color color,
            boolean reference) {
        if (series.isEmpty()) {
            return;
        }
        int index = data.getSeriesCount();
        data.addSeries(series);
        renderer.setSeriesPaint(index, color);
        Shape mark = reference ? new Rectangle2D.Double(-4.5, -4.5, 9, 9) : new Ellipse2D.Double(-4, -4, 8, 8);
        renderer.setSeriesShape(index, mark);
        renderer.setSeriesShapesFilled(index, !reference);
        renderer.setSeriesStroke(index, reference
                ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                : new BasicStroke(2f));
    }

    /**
     * Widens the axis to whole powers of ten around the data, so that even data within one
     * decade gets two labelled ticks to read values against.
     */
    private static void wholeDecades(LogAxis axis, XYSeriesCollection data, boolean x) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < data.getSeriesCount(); s++) {
            for (int i = 0; i < data.getItemCount(s); i++) {
                double v = x ? data.getXValue(s, i) : data.getYValue(s, i);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min > 0 && max >= min) {
            double low = Math.floor(Math.log10(min));
            double high = Math.max(low + 1, Math.ceil(Math.log10(max)));
            // A little room beyond the decades, so that marks and tick labels at the ends are not cut.
            axis.setRange(Math.pow(10, low) / EDGE_ROOM, Math.pow(10, high) * EDGE_ROOM);
        }
    }

    private static LogAxis logAxis(String label) {
        LogAxis axis = new LogAxis(label);
        axis.setBase(10);
        axis.setSmallestValue(1e-3);
        // One tick per decade, labelled as a plain number (1, 10, 100) rather than 10^k.
        axis.setTickUnit(new NumberTickUnit(1), false, false);
        axis.setAutoTickUnitSelection(false);
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        return axis;
    }
}
