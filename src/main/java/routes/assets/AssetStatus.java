package routes.assets;

/** PENDING until its upload is received; READY once the original is stored. */
public enum AssetStatus {
    PENDING, READY
}
