package routes.embedded.sns;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameters of an AWS query-protocol request ({@code Action=...&Name=...}).
 * Lists and maps are flattened into indexed names such as {@code Attributes.entry.1.key} or
 * {@code PublishBatchRequestEntries.member.2.Message}; {@link #indexed(String)} gives one view per index.
 */
final class QueryRequest {

    private final Map<String, String> params;

    private QueryRequest(Map<String, String> params) {
        this.params = params;
    }

    /** Parses one or more {@code application/x-www-form-urlencoded} strings; later values win. */
    static QueryRequest parse(String... forms) {
        Map<String, String> params = new HashMap<>();
        for (String form : forms) {
            if (form == null || form.isEmpty()) {
                continue;
            }
            for (String pair : form.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                params.put(name, value);
            }
        }
        return new QueryRequest(params);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SnsException(400, "MalformedQueryString", "The query string is malformed: " + e.getMessage());
        }
    }

    /** The value, or null when the parameter is absent. */
    String get(String name) {
        return params.get(name);
    }

    /** The value; absent or empty is an {@code InvalidParameter} error. */
    String require(String name) {
        String value = params.get(name);
        if (value == null || value.isEmpty()) {
            throw SnsException.invalidParameter(name + " Reason: no value for required parameter");
        }
        return value;
    }

    /**
     * One view per index of a flattened list: for prefix {@code A.member} and parameters
     * {@code A.member.1.Id}, {@code A.member.2.Id} this gives two requests, each with a parameter {@code Id}.
     * Views are ordered by index.
     */
    List<QueryRequest> indexed(String prefix) {
        String start = prefix + ".";
        TreeMap<Integer, Map<String, String>> byIndex = new TreeMap<>();
        params.forEach((name, value) -> {
            if (!name.startsWith(start)) {
                return;
            }
            String rest = name.substring(start.length());
            int dot = rest.indexOf('.');
            if (dot <= 0) {
                return;
            }
            int index;
            try {
                index = Integer.parseInt(rest.substring(0, dot));
            } catch (NumberFormatException e) {
                throw SnsException.invalidParameter(name + " Reason: the list index is not a number");
            }
            byIndex.computeIfAbsent(index, i -> new HashMap<>()).put(rest.substring(dot + 1), value);
        });
        List<QueryRequest> views = new ArrayList<>(byIndex.size());
        byIndex.values().forEach(view -> views.add(new QueryRequest(view)));
        return views;
    }

    /** A flattened string map, {@code prefix.entry.N.key} / {@code prefix.entry.N.value}, in index order. */
    Map<String, String> map(String prefix) {
        Map<String, String> map = new LinkedHashMap<>();
        for (QueryRequest entry : indexed(prefix + ".entry")) {
            String key = entry.get("key");
            if (key == null || key.isEmpty()) {
                throw SnsException.invalidParameter(prefix + " Reason: an entry has no key");
            }
            String value = entry.get("value");
            map.put(key, value == null ? "" : value);
        }
        return map;
    }
}
