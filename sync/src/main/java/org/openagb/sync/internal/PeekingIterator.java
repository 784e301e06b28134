package org.openagb.sync.internal;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/** An iterator with {@link #peek()}, optionally filtered. */
public final class PeekingIterator<T> implements Iterator<T> {
    private final Iterator<? extends T> in;
    private final Predicate<? super T> filter;
    private T next;

    public PeekingIterator(Iterator<? extends T> in) {
        this(in, x -> true);
    }

    public PeekingIterator(Iterator<? extends T> in, Predicate<? super T> filter) {
        this.in = in;
        this.filter = filter;
    }

    @Override
    public boolean hasNext() {
        while (next == null && in.hasNext()) {
            T t = in.next();
            if (filter.test(t)) {
                next = t;
            }
        }
        return next != null;
    }

    /** The next element without consuming it, or null at the end. */
    public T peek() {
        return hasNext() ? next : null;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T t = next;
        next = null;
        return t;
    }
}
