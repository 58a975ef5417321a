package routes.embedded.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One SNS message attribute. {@code dataType} is {@code String}, {@code String.Array}, {@code Number} or
 * {@code Binary}, optionally with a custom suffix ({@code Number.float}); {@code binaryValue} is set only
 * for binary attributes, {@code stringValue} for all others.
 */
record MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,256}");

    /** The type without its custom suffix, keeping {@code String.Array} whole. */
    String baseType() {
        return baseType(dataType);
    }

    private static String baseType(String dataType) {
        if (dataType.equals("String.Array")) {
            return dataType;
        }
        int dot = dataType.indexOf('.');
        return dot < 0 ? dataType : dataType.substring(0, dot);
    }

    boolean binary() {
        return baseType().equals("Binary");
    }

    /** The value as SNS shows it in a notification envelope: the text, or Base64 for binary values. */
    String envelopeValue() {
        return binary() ? Base64.getEncoder().encodeToString(binaryValue) : stringValue;
    }

    /**
     * The value as a filter policy sees it: a string, a number, or for {@code String.Array} the array;
     * null for binary values, which filter policies never match.
     */
    JsonNode filterValue(ObjectMapper json) {
        switch (baseType()) {
            case "Number":
                return DecimalNode.valueOf(new BigDecimal(stringValue.trim()));
            case "String.Array":
                try {
                    return json.readTree(stringValue);
                } catch (JsonProcessingException e) {
                    return null;
                }
            case "Binary":
                return null;
            default:
                return TextNode.valueOf(stringValue);
        }
    }

    /**
     * Reads {@code MessageAttributes.entry.N.Name / .Value.DataType / .Value.StringValue / .Value.BinaryValue}
     * and checks each value against its type, as SNS does before accepting a message.
     */
    static Map<String, MessageAttribute> parse(QueryRequest request, ObjectMapper json) {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        for (QueryRequest entry : request.indexed("MessageAttributes.entry")) {
            String name = entry.get("Name");
            if (name == null || !NAME.matcher(name).matches() || name.startsWith(".") || name.endsWith(".")
                    || name.contains("..") || name.regionMatches(true, 0, "AWS.", 0, 4)
                    || name.regionMatches(true, 0, "Amazon.", 0, 7)) {
                throw SnsException.invalidParameterValue("The message attribute name '" + name + "' is invalid");
            }
            if (attributes.containsKey(name)) {
                throw SnsException.invalidParameterValue("The message attribute '" + name + "' is given twice");
            }
            attributes.put(name, parseValue(name, entry, json));
        }
        return attributes;
    }

    private static MessageAttribute parseValue(String name, QueryRequest entry, ObjectMapper json) {
        String dataType = entry.get("Value.DataType");
        if (dataType == null || dataType.isEmpty()) {
            throw SnsException.invalidParameterValue("The message attribute '" + name + "' must contain a DataType");
        }
        MessageAttribute attribute;
        String base = baseType(dataType);
        switch (base) {
            case "Binary" -> {
                String encoded = entry.get("Value.BinaryValue");
                if (encoded == null) {
                    throw invalidValue(name, dataType, "a binary value");
                }
                try {
                    attribute = new MessageAttribute(dataType, null, Base64.getMimeDecoder().decode(encoded));
                } catch (IllegalArgumentException e) {
                    throw invalidValue(name, dataType, "a Base64 binary value");
                }
            }
            case "String", "String.Array", "Number" -> {
                String value = entry.get("Value.StringValue");
                if (value == null || value.isEmpty()) {
                    throw invalidValue(name, dataType, "a string value");
                }
                attribute = new MessageAttribute(dataType, value, null);
                if (base.equals("Number")) {
                    try {
                        new BigDecimal(value.trim());
                    } catch (NumberFormatException e) {
                        throw invalidValue(name, dataType, "a valid number");
                    }
                } else if (base.equals("String.Array")) {
                    JsonNode array = attribute.filterValue(json);
                    if (array == null || !array.isArray()) {
                        throw invalidValue(name, dataType, "a JSON array");
                    }
                }
            }
            default -> throw SnsException.invalidParameterValue(
                    "The message attribute '" + name + "' has an invalid message attribute type " + dataType);
        }
        return attribute;
    }

    private static SnsException invalidValue(String name, String dataType, String what) {
        return SnsException.invalidParameterValue(
                "The message attribute '" + name + "' with type '" + dataType + "' must contain " + what);
    }
}
