package routes.jobs;

/** Thrown by a worker whose input holds nothing for its step (no video stream, no sound): the step is SKIPPED. */
public class NothingToDo extends RuntimeException {

    public NothingToDo(String why) {
        super(why, null, false, false);
    }
}
