package io.microchat.charts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The chart as helm-java renders it. helm-java renders for Kubernetes v1.20.0 and has no {@code --kube-version},
 * so a chart that requires a newer cluster ({@code kubeVersion} in Chart.yaml) cannot be rendered as it is. The
 * tests render a copy under {@code target/} whose only difference is that line;
 * {@code ChartTest.theChartRefusesClustersOlderThanItsKubeVersion} checks the real chart keeps it.
 */
final class HelmJavaChart {

    static final Path COPY = Path.of("target/helm-java/microchat").toAbsolutePath();
    private static boolean copied;

    private HelmJavaChart() {
    }

    static synchronized Path copy() {
        if (copied) {
            return COPY;
        }
        try {
            if (Files.exists(COPY)) {
                try (Stream<Path> old = Files.walk(COPY)) {
                    for (Path path : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
            try (Stream<Path> files = Files.walk(ChartTest.CHART)) {
                for (Path source : files.toList()) {
                    Path target = COPY.resolve(ChartTest.CHART.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target);
                    }
                }
            }
            Path chartYaml = COPY.resolve("Chart.yaml");
            List<String> lines = Files.readAllLines(chartYaml);
            List<String> kept = lines.stream().filter(line -> !line.startsWith("kubeVersion:")).toList();
            if (kept.size() != lines.size() - 1) {
                throw new IllegalStateException("Chart.yaml should have exactly one kubeVersion line");
            }
            Files.write(chartYaml, kept);
            copied = true;
            return COPY;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
