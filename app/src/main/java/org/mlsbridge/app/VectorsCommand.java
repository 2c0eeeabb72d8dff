package org.mlsbridge.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.mlsbridge.vectors.CaseResult;
import org.mlsbridge.vectors.FileResult;
import org.mlsbridge.vectors.VectorRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mlsbridge vectors PATH...}: runs MLS interoperability test vectors. */
@Command(name = "vectors", mixinStandardHelpOptions = true,
        description = {"Runs MLS test-vector files (or every .json file in a folder).",
                "Prints one line per file, each failing case with its reason, and a closing line",
                "'N passed, M failed'. Exits 1 if anything failed."})
final class VectorsCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "vector files or folders")
    List<Path> paths;

    @Override
    public Integer call() throws Exception {
        return run(VectorRunner.withAllCheckers(), VectorRunner.expand(paths), System.out);
    }

    static int run(VectorRunner runner, List<Path> files, PrintStream out) {
        long passed = 0;
        long failed = 0;
        for (Path file : files) {
            FileResult r = runner.run(file);
            passed += r.passed();
            failed += r.failed();
            String kind = r.kind() == null ? "" : " [" + r.kind() + "]";
            out.println(file + kind + ": " + r.passed() + " passed, " + r.failed() + " failed"
                    + (r.error() == null ? "" : " (" + r.error() + ")"));
            for (CaseResult c : r.cases()) {
                if (!c.passed()) {
                    out.println("  case " + c.index() + ": " + c.reason());
                }
            }
        }
        if (files.isEmpty()) {
            out.println("no vector files found");
            failed++;
        }
        out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
