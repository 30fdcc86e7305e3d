package io.quarkiverse.shigoto.it.workers;

/** The typed args of {@link ResizeImageWorker}: a plain class with a no-argument constructor and properties. */
public class ResizeArgs {

    private String image;
    private int width;
    private Object extra;

    public ResizeArgs() {
    }

    public ResizeArgs(String image, int width, Object extra) {
        this.image = image;
        this.width = width;
        this.extra = extra;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public int getWidth() {
        return width;
    }

    public void setWidth(int width) {
        this.width = width;
    }

    /** @return anything else the caller sends along: a test puts a value Jackson cannot write here */
    public Object getExtra() {
        return extra;
    }

    public void setExtra(Object extra) {
        this.extra = extra;
    }
}
