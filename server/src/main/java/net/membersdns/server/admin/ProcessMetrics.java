package net.membersdns.server.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;

/**
 * Binds the standard process meters Micrometer ships: JVM memory, GC, threads, class loading, CPU,
 * uptime, open file descriptors (each connection holds one) and Netty's buffer allocator. Their
 * names are Micrometer's ({@code jvm.*}, {@code process.*}, {@code system.*}, {@code netty.*}),
 * which dashboards already know; only our own meters are {@code dns.*}. Called once by the
 * composition root.
 */
public final class ProcessMetrics {
  private ProcessMetrics() {}

  /**
   * @return closes what holds resources (the GC notification listener); call at shutdown
   */
  public static AutoCloseable bindTo(MeterRegistry registry) {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
      new NettyAllocatorMetrics(allocator).bindTo(registry);
    }
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return gc;
  }
}
