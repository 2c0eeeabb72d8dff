package org.mlsbridge.app;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mlsbridge.app.cli.CommandIo;
import org.mlsbridge.app.cli.Progress;
import org.mlsbridge.vectors.CaseResult;
import org.mlsbridge.vectors.FileResult;
import org.mlsbridge.vectors.VectorRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlsbridge vectors PATH...}: runs MLS interoperability test vectors. */
@Command(name = "vectors", mixinStandardHelpOptions = true,
        description = {"Runs MLS test-vector files (or every .json file in a folder).",
                "Prints one line per file, each failing case with its reason, and a closing line",
                "'N passed, M failed'. Exits 1 if anything failed, 2 if a PATH does not exist or a folder",
                "holds no .json file."})
final class VectorsCommand implements Callable<Integer> {
    private final CommandIo io;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "vector files or folders")
    List<Path> paths;

    @Option(names = "--progress", negatable = true, description = {"show which file is running on stderr "
            + "(default: only when stderr is a terminal)"})
    Boolean progress;

    VectorsCommand(CommandIo io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        List<Path> files = files();
        Progress shown = io.progress(progress);
        try {
            return run(VectorRunner.withAllCheckers(), files, io.out(), shown);
        } finally {
            // An error message must not continue the status line.
            shown.clear();
        }
    }

    /** The files to run; a missing path or an empty folder is a usage error, not a failed vector. */
    private List<Path> files() throws Exception {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no such file or directory: " + p);
            }
            List<Path> found = VectorRunner.expand(List.of(p));
            if (found.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "no .json vector files in the folder " + p);
            }
            files.addAll(found);
        }
        return files;
    }

    static int run(VectorRunner runner, List<Path> files, PrintStream out, Progress progress) {
        long passed = 0;
        long failed = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            progress.status(String.format(Locale.ROOT, "vectors %d/%d (%.0f s): %s", i + 1, files.size(),
                    (System.nanoTime() - t0) / 1e9, file.getFileName()));
            FileResult r = runner.run(file);
            progress.clear();
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
        out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
