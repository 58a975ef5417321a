package routes.images;

/** {@link TestImages#run} for tests of other packages. */
public final class TestImagesAccess {

    private TestImagesAccess() {
    }

    public static String run(String... command) throws Exception {
        return TestImages.run(command);
    }
}
