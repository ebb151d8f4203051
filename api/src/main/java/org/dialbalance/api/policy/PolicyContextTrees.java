package org.dialbalance.api.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/** Turns the nested maps {@link PolicyContext#optionTree()} builds into {@link PolicyOption}s. */
final class PolicyContextTrees {

    private PolicyContextTrees() {
    }

    static Map<String, PolicyOption> toOptions(Map<String, Object> block) {
        Map<String, PolicyOption> options = new LinkedHashMap<>();
        block.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, Object> children = (Map<String, Object>) nested;
                options.put(key, new PolicyOption.Block(toOptions(children)));
            } else {
                options.put(key, new PolicyOption.Value(String.valueOf(value)));
            }
        });
        return java.util.Collections.unmodifiableMap(options);
    }
}
