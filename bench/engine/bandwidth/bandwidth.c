// Single-process memory read bandwidth: N threads (default 2) each sum their own contiguous slice of one buffer
// (default 1 GiB, far larger than the last-level cache), repeatedly; reports GB/s (1e9 bytes/s) of bytes read.
// This is the ceiling a decode step can reach when it streams its weights once per token:
//   decode bound (tokens/s) = read bandwidth / weight bytes read per token.
// Build: cc -O3 -march=native -pthread bandwidth.c -o bandwidth
// Usage: bandwidth [--mib 1024] [--threads 2] [--reps 20] [--json]
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    const uint64_t *base;
    size_t words;
    int reps;
    pthread_barrier_t *barrier;
    double *seconds;   // per repetition, written by thread 0 only
    uint64_t sink;
    int index;
} worker_t;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

// Eight independent accumulators so the compiler emits wide vector loads (AVX2/AVX-512 with -march=native) and the
// loop is bound by the loads, not by the add chain.
static uint64_t sum_words(const uint64_t *p, size_t n) {
    uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
    for (size_t i = 0; i + 8 <= n; i += 8) {
        a0 += p[i]; a1 += p[i + 1]; a2 += p[i + 2]; a3 += p[i + 3];
        a4 += p[i + 4]; a5 += p[i + 5]; a6 += p[i + 6]; a7 += p[i + 7];
    }
    return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
}

static void *work(void *arg) {
    worker_t *w = arg;
    uint64_t sink = 0;
    for (int r = 0; r < w->reps; r++) {
        pthread_barrier_wait(w->barrier);
        double start = now();
        sink += sum_words(w->base, w->words);
        pthread_barrier_wait(w->barrier);   // the repetition ends when the slowest thread is done
        if (w->index == 0) w->seconds[r] = now() - start;
    }
    w->sink = sink;
    return NULL;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    size_t mib = 1024;
    int threads = 2, reps = 20, json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--mib") && i + 1 < argc) mib = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc) reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--json")) json = 1;
        else { fprintf(stderr, "usage: %s [--mib 1024] [--threads 2] [--reps 20] [--json]\n", argv[0]); return 2; }
    }
    if (threads < 1 || reps < 1 || mib < 1) { fprintf(stderr, "bad arguments\n"); return 2; }

    size_t bytes = mib << 20;
    size_t words = bytes / sizeof(uint64_t);
    uint64_t *buffer;
    if (posix_memalign((void **)&buffer, 2 << 20, bytes)) { perror("posix_memalign"); return 1; }
    for (size_t i = 0; i < words; i++) buffer[i] = i * 0x9E3779B97F4A7C15ull;   // fault in every page

    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, (unsigned)threads);
    double *seconds = calloc((size_t)reps, sizeof(double));
    worker_t *workers = calloc((size_t)threads, sizeof(worker_t));
    pthread_t *ids = calloc((size_t)threads, sizeof(pthread_t));
    size_t slice = (words / (size_t)threads) & ~(size_t)7;
    for (int t = 0; t < threads; t++) {
        workers[t] = (worker_t){ buffer + (size_t)t * slice, slice, reps, &barrier, seconds, 0, t };
        pthread_create(&ids[t], NULL, work, &workers[t]);
    }
    uint64_t sink = 0;
    for (int t = 0; t < threads; t++) { pthread_join(ids[t], NULL); sink += workers[t].sink; }

    // The first repetition warms TLBs and frequency; report the best and the median of the rest.
    int first = reps > 1 ? 1 : 0, n = reps - first;
    qsort(seconds + first, (size_t)n, sizeof(double), compare);
    double read = (double)slice * sizeof(uint64_t) * threads;
    double best = read / seconds[first] / 1e9, median = read / seconds[first + n / 2] / 1e9;
    if (json)
        printf("{\"threads\":%d,\"buffer_bytes\":%zu,\"reps\":%d,\"best_gbps\":%.2f,\"median_gbps\":%.2f,\"sink\":%llu}\n",
               threads, bytes, reps, best, median, (unsigned long long)(sink & 1));
    else
        printf("read bandwidth: %d thread(s), %zu MiB buffer, %d reps: best %.2f GB/s, median %.2f GB/s\n",
               threads, mib, reps, best, median);
    return 0;
}
