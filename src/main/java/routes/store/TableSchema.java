package routes.store;

import java.util.List;

/**
 * What a table of {@link VersionedTable} documents needs besides its key ({@code id}): whether items expire (through
 * the {@value VersionedTable#TTL_ATTRIBUTE} attribute) and its global secondary indexes. The store that owns a table
 * describes it here; provisioning creates what is missing from it.
 */
public record TableSchema(String name, boolean expires, List<Index> indexes) {

    public TableSchema {
        indexes = List.copyOf(indexes);
    }

    /** A global secondary index on two string attributes, projecting every attribute. */
    public record Index(String name, String partitionKey, String sortKey) {
    }
}
