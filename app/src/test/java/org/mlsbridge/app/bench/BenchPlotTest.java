package org.mlsbridge.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;

/** The plot from a made-up report: which series each panel holds, and that it renders. */
class BenchPlotTest {
    private static BenchReport report(int... sizes) {
        Map<Integer, Map<String, Object>> bySize = new LinkedHashMap<>();
        for (int n : sizes) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (String key : BenchRunner.allKeys()) {
                double v = Math.log(n) + 1;
                values.put(key, key.endsWith("_bytes") ? (Object) (long) n : new Stats(v, v * 0.9, v * 1.1, 1, v));
            }
            bySize.put(n, values);
        }
        return new BenchReport("test machine", 1, bySize);
    }

    static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    @Test
    void everyPanelDrawsOurShapesAndTheCitedReferenceFiguresBesideThem() {
        BenchPlot plot = new BenchPlot(report(2, 16, 128), ReferenceFigures.CPP_STACK);
        Map<String, XYDataset> panels = new LinkedHashMap<>();
        for (BenchPlot.Panel p : BenchPlot.PANELS) {
            JFreeChart chart = plot.chart(p);
            panels.put(p.title(), chart.getXYPlot().getDataset());
        }

        XYDataset update = panels.get("update: commit with a path");
        assertThat(names(update)).containsExactly("ours, full tree", "ours, sparse tree", "C++ stack, sparse tree");
        assertThat(update.getItemCount(0)).isEqualTo(3);
        assertThat(update.getXValue(2, 0)).isEqualTo(1024);
        assertThat(update.getYValue(2, 0)).isEqualTo(181.0);
        assertThat(update.getYValue(2, 1)).isEqualTo(1840.0);

        XYDataset app = panels.get("application message, 100 bytes");
        assertThat(names(app)).containsExactly("ours, encrypt", "C++ stack, encrypt", "ours, decrypt",
                "C++ stack, decrypt");
        assertThat(app.getYValue(3, 0)).isEqualTo(350.0);

        // No published figure for removes: only ours.
        assertThat(names(panels.get("remove: commit with a path"))).containsExactly("ours, full tree",
                "ours, sparse tree");
    }

    @Test
    void rendersAtTheDocumentedSize() {
        BufferedImage image = new BenchPlot(report(2, 1024), ReferenceFigures.CPP_STACK).render();
        assertThat(image.getWidth()).isEqualTo(BenchPlot.WIDTH);
        assertThat(image.getHeight()).isEqualTo(BenchPlot.HEIGHT);
        assertThat(distinctColours(image)).isGreaterThan(50);
    }

    private static List<String> names(XYDataset data) {
        return java.util.stream.IntStream.range(0, data.getSeriesCount())
                .mapToObj(i -> data.getSeriesKey(i).toString()).toList();
    }
}
