package org.mlsbridge.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scenario config of the working group's runner: {@code {"scripts": {name: [step, ...]}}},
 * each step an object with an {@code action}, usually an {@code actor}, and the action's
 * parameters, which refer to earlier steps by index.
 */
record ScenarioConfig(Map<String, List<Step>> scripts) {
    record Step(int index, String action, String actor, JsonNode params) {
        @Override
        public String toString() {
            return "step " + index + " " + params;
        }
    }

    static ScenarioConfig read(InputStream in) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        JsonNode scripts = root.get("scripts");
        if (scripts == null || !scripts.isObject()) {
            throw new IOException("a scenario config needs an object \"scripts\"");
        }
        Map<String, List<Step>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = scripts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<Step> steps = new ArrayList<>();
            for (JsonNode step : e.getValue()) {
                JsonNode action = step.get("action");
                if (action == null) {
                    throw new IOException("script " + e.getKey() + " step " + steps.size() + " has no action");
                }
                steps.add(new Step(steps.size(), action.asText(), step.path("actor").asText(""), step));
            }
            out.put(e.getKey(), List.copyOf(steps));
        }
        return new ScenarioConfig(out);
    }

    /** The actors a script names: step actors and those only named in parameters. */
    static List<String> actors(List<Step> steps) {
        List<String> out = new ArrayList<>();
        for (Step s : steps) {
            add(out, s.actor());
            switch (s.action()) {
                case "createGroup" -> Params.strings(s.params(), "members").forEach(a -> add(out, a));
                case "externalJoin", "newMemberAddProposal" -> add(out, Params.string(s.params(), "joiner"));
                case "addExternalSigner" -> add(out, Params.string(s.params(), "signer"));
                default -> { }
            }
        }
        return out;
    }

    private static void add(List<String> actors, String actor) {
        if (!actor.isEmpty() && !actors.contains(actor)) {
            actors.add(actor);
        }
    }
}
