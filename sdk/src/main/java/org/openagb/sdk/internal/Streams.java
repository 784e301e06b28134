package org.openagb.sdk.internal;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import org.openagb.sdk.TransferListener;

/** Counting wrappers of {@code java.net.http} bodies: they report progress without buffering. */
final class Streams {
    private Streams() {}

    /** {@code delegate} (such as {@code ofFile}) that counts the bytes it hands to the connection. */
    static HttpRequest.BodyPublisher counting(
            HttpRequest.BodyPublisher delegate, AtomicLong counter, TransferListener listener) {
        long total = delegate.contentLength();
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return total;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                delegate.subscribe(new Flow.Subscriber<ByteBuffer>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        subscriber.onSubscribe(subscription);
                    }

                    @Override
                    public void onNext(ByteBuffer item) {
                        long done = counter.addAndGet(item.remaining());
                        subscriber.onNext(item);
                        report(listener, done, total);
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        subscriber.onError(throwable);
                    }

                    @Override
                    public void onComplete() {
                        subscriber.onComplete();
                    }
                });
            }
        };
    }

    /** {@code delegate} (such as {@code ofFile}) that counts the bytes it receives. */
    static <T> HttpResponse.BodySubscriber<T> counting(
            HttpResponse.BodySubscriber<T> delegate, AtomicLong counter, long total, TransferListener listener) {
        return new HttpResponse.BodySubscriber<T>() {
            @Override
            public CompletionStage<T> getBody() {
                return delegate.getBody();
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                delegate.onSubscribe(subscription);
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
                long size = 0;
                for (ByteBuffer buffer : item) {
                    size += buffer.remaining();
                }
                long done = counter.addAndGet(size);
                delegate.onNext(item);
                report(listener, done, total);
            }

            @Override
            public void onError(Throwable throwable) {
                delegate.onError(throwable);
            }

            @Override
            public void onComplete() {
                delegate.onComplete();
            }
        };
    }

    static void report(TransferListener listener, long done, long total) {
        if (listener == null) {
            return;
        }
        try {
            listener.progress(done, total);
        } catch (RuntimeException ignored) {
            // A listener must not break the transfer (documented on TransferListener).
        }
    }
}
