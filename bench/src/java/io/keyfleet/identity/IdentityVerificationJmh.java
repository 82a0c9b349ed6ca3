package io.keyfleet.identity;

import io.keyfleet.bench.BenchReport;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs {@link IdentityVerificationBenchmark} under JMH (one fork) and reports ratios to the baseline. */
class IdentityVerificationJmh {

    @Test
    void run() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(IdentityVerificationBenchmark.class.getName())
                .forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(TimeValue.seconds(2))
                .build()).run();
        Map<String, double[]> byName = new TreeMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            byName.put(name, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        double baseline = byName.get("baselineBareRsaVerify")[0];
        StringBuilder report = new StringBuilder();
        byName.forEach((name, score) -> report.append(String.format("%-24s %9.3f ± %.3f µs/op   %6.2fx baseline%n",
                name, score[0], score[1], score[0] / baseline)));
        BenchReport.write("identity-verification", report.toString());
    }
}
