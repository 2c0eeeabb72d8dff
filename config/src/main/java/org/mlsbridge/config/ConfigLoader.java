package org.mlsbridge.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads the configuration: the YAML file, then environment overrides
 * ({@link ConfigKey#environmentVariable()}), then validation of everything at once, secrets read
 * from their files. Relative paths in the file are relative to the file's folder.
 */
public final class ConfigLoader {
    /** A validated configuration and what the operator should know about it (overrides used, loose file modes). */
    public record Loaded(MlsbridgeConfig config, List<String> notes) {
    }

    private final Map<String, String> env;

    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Loads with the process's environment. */
    public static Loaded load(Path file) throws ConfigException {
        return new ConfigLoader(System.getenv()).loadFile(file);
    }

    public Loaded loadFile(Path file) throws ConfigException {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw single(source, "(file)", "no such file", "give the path of the configuration file "
                    + "(an example: config/examples/mlsbridge.example.yaml, or 'mlsbridge config example')");
        } catch (AccessDeniedException e) {
            throw single(source, "(file)", "not readable (permission denied)",
                    "let the user that runs mlsbridge read it");
        } catch (IOException e) {
            throw single(source, "(file)", Files.isDirectory(file) ? "is a folder" : "cannot be read",
                    "give the path of the YAML configuration file");
        }
        Path dir = file.toAbsolutePath().getParent();
        return loadText(source, text, dir == null ? Path.of("") : dir);
    }

    /** Loads YAML text; {@code baseDir} is where relative paths start. */
    public Loaded loadText(String source, String yaml, Path baseDir) throws ConfigException {
        ObjectNode root = parse(source, yaml);
        Map<String, String> overridden = EnvironmentOverrides.apply(root, env);
        List<String> notes = new ArrayList<>();
        overridden.forEach((key, variable) -> notes.add("overridden by the environment: " + key + " (from "
                + variable + ")"));
        try {
            MlsbridgeConfig config = new ConfigReader(baseDir, notes).read(source, root);
            return new Loaded(config, List.copyOf(notes));
        } catch (ConfigException e) {
            throw nameVariables(e, overridden);
        }
    }

    /** A value that came from the environment is reported under its variable too, where the operator set it. */
    private static ConfigException nameVariables(ConfigException e, Map<String, String> overridden) {
        if (overridden.isEmpty()) {
            return e;
        }
        List<Problem> named = e.problems().stream().map(p -> overridden.containsKey(p.key())
                ? new Problem(p.key() + " (from " + overridden.get(p.key()) + ")", p.problem(), p.fix()) : p).toList();
        return new ConfigException(e.source(), named);
    }

    private static ObjectNode parse(String source, String yaml) throws ConfigException {
        YAMLMapper mapper = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
        JsonNode node;
        try {
            node = mapper.readTree(yaml);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr();
            String what = e.getOriginalMessage() == null ? "" : ": " + e.getOriginalMessage().lines().findFirst()
                    .orElse("").strip();
            throw single(source, "(file)", "not valid YAML" + where + what,
                    "correct the file there: keys are 'name: value', nesting is by indentation with spaces, "
                            + "each key once per mapping");
        } catch (IOException e) {
            throw single(source, "(file)", "cannot be read", "check the file");
        }
        if (node == null || node instanceof MissingNode || node instanceof NullNode) {
            return mapper.createObjectNode();
        }
        if (!(node instanceof ObjectNode object)) {
            throw single(source, "(file)", "the top level is not a mapping of sections",
                    "start the file with section names at the left margin: " + ConfigKey.SECTIONS);
        }
        return object;
    }

    private static ConfigException single(String source, String key, String problem, String fix) {
        return new ConfigException(source, List.of(new Problem(key, problem, fix)));
    }
}
