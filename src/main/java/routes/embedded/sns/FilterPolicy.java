package routes.embedded.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An SNS subscription filter policy, compiled once and matched against each published message.
 *
 * <p>A policy is a JSON object; every key must match (AND) and a key matches when any of its conditions
 * matches (OR). {@code "$or": [policy, policy, ...]} matches when any of the nested policies matches.
 * Conditions are exact values (strings, numbers, booleans, null) and the operators {@code prefix},
 * {@code suffix}, {@code equals-ignore-case}, {@code numeric}, {@code exists} and {@code anything-but}
 * (with a value, a list of values, or a {@code prefix}/{@code suffix}/{@code equals-ignore-case} operator).
 *
 * <p>With scope {@link Scope#MESSAGE_ATTRIBUTES} the keys are message attribute names: {@code String}
 * attributes are strings, {@code Number} attributes numbers, a {@code String.Array} attribute matches when
 * any of its elements does, and {@code Binary} attributes never match. With scope {@link Scope#MESSAGE_BODY}
 * the message must be a JSON object and policies may nest objects to reach into it.
 */
final class FilterPolicy {

    /** The {@code FilterPolicyScope} subscription attribute. */
    enum Scope {
        MESSAGE_ATTRIBUTES("MessageAttributes"),
        MESSAGE_BODY("MessageBody");

        private final String attributeValue;

        Scope(String attributeValue) {
            this.attributeValue = attributeValue;
        }

        String attributeValue() {
            return attributeValue;
        }

        /** The scope named by the attribute value; null or empty means the default, MessageAttributes. */
        static Scope of(String attributeValue) {
            if (attributeValue == null || attributeValue.isEmpty()) {
                return MESSAGE_ATTRIBUTES;
            }
            for (Scope scope : values()) {
                if (scope.attributeValue.equals(attributeValue)) {
                    return scope;
                }
            }
            throw new IllegalArgumentException("FilterPolicyScope must be MessageAttributes or MessageBody");
        }
    }

    private final ObjectMapper json;
    private final Scope scope;
    private final Group root;

    private FilterPolicy(ObjectMapper json, Scope scope, Group root) {
        this.json = json;
        this.scope = scope;
        this.root = root;
    }

    /**
     * Compiles a policy.
     *
     * @throws IllegalArgumentException with the reason when the policy is not valid
     */
    static FilterPolicy parse(String policy, Scope scope, ObjectMapper json) {
        JsonNode tree;
        try {
            tree = json.readTree(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the policy is not valid JSON");
        }
        return new FilterPolicy(json, scope, group(tree, scope));
    }

    /** Whether a message with these attributes and this body passes the policy. */
    boolean matches(Map<String, MessageAttribute> attributes, String message) {
        JsonNode document;
        if (scope == Scope.MESSAGE_BODY) {
            try {
                document = json.readTree(message);
            } catch (JsonProcessingException e) {
                return false;
            }
            if (document == null || !document.isObject()) {
                return false;
            }
        } else {
            ObjectNode values = json.createObjectNode();
            attributes.forEach((name, attribute) -> {
                JsonNode value = attribute.filterValue(json);
                if (value != null) {
                    values.set(name, value);
                }
            });
            document = values;
        }
        return root.matches(List.of(document));
    }

    // ---- compiling

    private static Group group(JsonNode node, Scope scope) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw new IllegalArgumentException("a filter policy must be a non-empty JSON object");
        }
        List<Field> fields = new ArrayList<>();
        List<List<Group>> alternatives = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (key.equals("$or")) {
                alternatives.add(alternatives(value, scope));
            } else if (value.isArray()) {
                fields.add(new Field(key, conditions(key, value), null));
            } else if (value.isObject() && scope == Scope.MESSAGE_BODY) {
                fields.add(new Field(key, List.of(), group(value, scope)));
            } else {
                throw new IllegalArgumentException("the value of \"" + key + "\" must be an array of conditions");
            }
        }
        return new Group(fields, alternatives);
    }

    private static List<Group> alternatives(JsonNode node, Scope scope) {
        if (!node.isArray() || node.size() < 2) {
            throw new IllegalArgumentException("\"$or\" must be an array of at least two policies");
        }
        List<Group> groups = new ArrayList<>();
        node.forEach(alternative -> groups.add(group(alternative, scope)));
        return groups;
    }

    private static List<Condition> conditions(String key, JsonNode array) {
        if (array.isEmpty()) {
            throw new IllegalArgumentException("the conditions of \"" + key + "\" must not be empty");
        }
        List<Condition> conditions = new ArrayList<>();
        array.forEach(node -> conditions.add(condition(key, node)));
        return conditions;
    }

    private static Condition condition(String key, JsonNode node) {
        if (!node.isObject()) {
            return literal(key, node);
        }
        if (node.size() != 1) {
            throw new IllegalArgumentException("an operator of \"" + key + "\" must have exactly one name");
        }
        String operator = node.fieldNames().next();
        JsonNode operand = node.get(operator);
        switch (operator) {
            case "prefix":
                String prefix = text(key, operator, operand);
                return value -> value.isTextual() && value.textValue().startsWith(prefix);
            case "suffix":
                String suffix = text(key, operator, operand);
                return value -> value.isTextual() && value.textValue().endsWith(suffix);
            case "equals-ignore-case":
                String text = text(key, operator, operand);
                return value -> value.isTextual() && value.textValue().equalsIgnoreCase(text);
            case "numeric":
                return numeric(key, operand);
            case "exists":
                if (!operand.isBoolean()) {
                    throw new IllegalArgumentException("\"exists\" of \"" + key + "\" must be true or false");
                }
                return new Exists(operand.booleanValue());
            case "anything-but":
                return anythingBut(key, operand);
            default:
                throw new IllegalArgumentException("unsupported operator \"" + operator + "\" for \"" + key + "\"");
        }
    }

    private static Condition literal(String key, JsonNode node) {
        if (node.isTextual()) {
            String text = node.textValue();
            return value -> value.isTextual() && value.textValue().equals(text);
        }
        if (node.isNumber()) {
            BigDecimal number = node.decimalValue();
            return value -> value.isNumber() && value.decimalValue().compareTo(number) == 0;
        }
        if (node.isBoolean()) {
            boolean bool = node.booleanValue();
            return value -> value.isBoolean() && value.booleanValue() == bool;
        }
        if (node.isNull()) {
            return JsonNode::isNull;
        }
        throw new IllegalArgumentException("unsupported condition " + node + " for \"" + key + "\"");
    }

    private static String text(String key, String operator, JsonNode operand) {
        if (!operand.isTextual()) {
            throw new IllegalArgumentException("\"" + operator + "\" of \"" + key + "\" must be a string");
        }
        return operand.textValue();
    }

    /** {@code {"numeric": [">", 0, "<=", 5]}} or {@code {"numeric": ["=", 5]}}. */
    private static Condition numeric(String key, JsonNode operand) {
        String invalid = "\"numeric\" of \"" + key + "\" must be [op, number] or [lower op, number, upper op, number]";
        if (!operand.isArray() || (operand.size() != 2 && operand.size() != 4)) {
            throw new IllegalArgumentException(invalid);
        }
        List<Comparison> comparisons = new ArrayList<>();
        for (int i = 0; i < operand.size(); i += 2) {
            JsonNode op = operand.get(i);
            JsonNode number = operand.get(i + 1);
            if (!op.isTextual() || !number.isNumber()) {
                throw new IllegalArgumentException(invalid);
            }
            comparisons.add(new Comparison(op.textValue(), number.decimalValue()));
        }
        boolean valid = comparisons.size() == 1
                ? List.of("=", "<", "<=", ">", ">=").contains(comparisons.get(0).op())
                : List.of(">", ">=").contains(comparisons.get(0).op())
                        && List.of("<", "<=").contains(comparisons.get(1).op());
        if (!valid) {
            throw new IllegalArgumentException(invalid);
        }
        return value -> value.isNumber() && comparisons.stream().allMatch(c -> c.test(value.decimalValue()));
    }

    /**
     * {@code {"anything-but": "a"}}, {@code {"anything-but": ["a", 1]}} or {@code {"anything-but": {"prefix": "a"}}}:
     * matches present values that none of the listed values or the operator match.
     */
    private static Condition anythingBut(String key, JsonNode operand) {
        List<Condition> excluded = new ArrayList<>();
        boolean textOnly = false;
        if (operand.isArray()) {
            if (operand.isEmpty()) {
                throw new IllegalArgumentException("\"anything-but\" of \"" + key + "\" must not be empty");
            }
            operand.forEach(node -> excluded.add(literal(key, node)));
        } else if (operand.isObject()) {
            Condition condition = condition(key, operand);
            String operator = operand.fieldNames().next();
            if (!List.of("prefix", "suffix", "equals-ignore-case").contains(operator)) {
                throw new IllegalArgumentException("\"anything-but\" of \"" + key
                        + "\" takes only prefix, suffix or equals-ignore-case");
            }
            excluded.add(condition);
            textOnly = true;
        } else {
            excluded.add(literal(key, operand));
        }
        boolean onlyStrings = textOnly;
        return value -> (!onlyStrings || value.isTextual()) && excluded.stream().noneMatch(c -> c.test(value));
    }

    // ---- matching

    /** One test applied to each value found for a key. */
    private interface Condition {
        boolean test(JsonNode value);
    }

    /** {@code {"exists": true|false}}: decided by presence, not by the values. */
    private record Exists(boolean expected) implements Condition {
        @Override
        public boolean test(JsonNode value) {
            return expected;
        }
    }

    private record Comparison(String op, BigDecimal bound) {
        boolean test(BigDecimal value) {
            int order = value.compareTo(bound);
            return switch (op) {
                case "=" -> order == 0;
                case "<" -> order < 0;
                case "<=" -> order <= 0;
                case ">" -> order > 0;
                default -> order >= 0;
            };
        }
    }

    /** All fields must match, and for each {@code $or} one of its alternatives. */
    private record Group(List<Field> fields, List<List<Group>> alternatives) {
        boolean matches(List<JsonNode> objects) {
            return fields.stream().allMatch(field -> field.matches(objects))
                    && alternatives.stream().allMatch(groups -> groups.stream().anyMatch(g -> g.matches(objects)));
        }
    }

    /** A key with its conditions, or with a nested policy for the object under it (body scope). */
    private record Field(String name, List<Condition> conditions, Group nested) {
        boolean matches(List<JsonNode> objects) {
            List<JsonNode> values = valuesOf(objects);
            if (nested != null) {
                return nested.matches(values);
            }
            boolean present = !values.isEmpty();
            for (Condition condition : conditions) {
                if (condition instanceof Exists exists) {
                    if (exists.expected() == present) {
                        return true;
                    }
                } else if (values.stream().anyMatch(condition::test)) {
                    return true;
                }
            }
            return false;
        }

        /** The values under this key in any of the objects; arrays count as each of their elements. */
        private List<JsonNode> valuesOf(List<JsonNode> objects) {
            List<JsonNode> values = new ArrayList<>();
            for (JsonNode object : objects) {
                JsonNode value = object.get(name);
                if (value == null) {
                    continue;
                }
                if (value.isArray()) {
                    value.forEach(values::add);
                } else {
                    values.add(value);
                }
            }
            return values;
        }
    }
}
