/*
** http_pool.c: the pools of `pactum serve` for the requests whose cost grows with the record. They
** must not hold up decisions, which libmicrohttpd's threads answer. So their connection is
** suspended and the request handed to a few threads of their own, through a queue of bounded
** length: when it is full the request is answered 503 at once, with Retry-After. A pool thread
** runs the route deferred (its answer waits in the request's conn) and resumes the connection,
** whose own thread then sends the answer. The server keeps two: the heavy pool for reads
** (what-if, status, ledger, the audit) and a writer's pool of one thread for appends.
**
** Before a request starts, and in the middle of a what-if, the pool looks whether its client is
** still there; a request whose client left is dropped without an answer.
*/
#include "http_int.h"
#include "alloc.h"

#include <stdio.h>
#include <string.h>
#include "banned.h"

typedef struct job {
  req q;
  const route *r;
} job;

struct http_pool {
  server *s;
  const char *name;
  unsigned queue;
  pthread_mutex_t lock;
  pthread_cond_t more;
  job *ring; /* [cap]: the jobs waiting, from head on */
  unsigned cap, head, len;
  int running;
  pthread_t *threads;
  unsigned nthreads;
  atomic_int stopping;
};

/* Run one job on this pool thread, then resume its connection. */
static void run(http_pool *p, job *j) {
  req *q = &j->q;
  q->deferred = 1;
  if (atomic_load(&p->stopping)) {
    http_send_error(q, 503, ERR_UNAVAILABLE, "shutting_down", "the service is stopping; try again when it is back");
  } else if (http_client_gone(q->cn->fd)) {
    atomic_fetch_add(&p->s->limits[LIM_CLIENT_GONE], 1); /* no one to answer: the connection is closed */
  } else {
    j->r->fn(q);
  }
  MHD_resume_connection(q->c);
}

/* A pool thread: runs the jobs in their order until the pool stops and nothing is left. */
static void *work(void *arg) {
  http_pool *p = arg;
  pthread_mutex_lock(&p->lock);
  for (;;) {
    while (!p->len && !atomic_load(&p->stopping)) pthread_cond_wait(&p->more, &p->lock);
    if (!p->len) break; /* stopping, and nothing left to answer */
    job j = p->ring[p->head];
    p->head = (p->head + 1) % p->cap;
    p->len--;
    p->running++;
    pthread_mutex_unlock(&p->lock);
    run(p, &j);
    pthread_mutex_lock(&p->lock);
    p->running--;
  }
  pthread_mutex_unlock(&p->lock);
  return NULL;
}

http_pool *http_pool_new(server *s, const char *name, unsigned threads, unsigned queue) {
  http_pool *p = px_calloc(1, sizeof *p);
  if (!p) return NULL;
  p->s = s;
  p->name = name;
  p->queue = queue;
  /* Room for one on each thread and `queue` waiting: a job stays in the ring until a thread takes it. */
  p->cap = queue + threads;
  p->ring = px_calloc(p->cap, sizeof *p->ring);
  p->threads = px_calloc(threads, sizeof *p->threads);
  pthread_mutex_init(&p->lock, NULL);
  pthread_cond_init(&p->more, NULL);
  if (!p->ring || !p->threads) {
    http_pool_free(p);
    return NULL;
  }
  for (; p->nthreads < threads; p->nthreads++)
    if (pthread_create(&p->threads[p->nthreads], NULL, work, p)) {
      http_pool_stop(p);
      http_pool_free(p);
      return NULL;
    }
  return p;
}

int http_pool_submit(http_pool *p, const req *q, const route *r) {
  pthread_mutex_lock(&p->lock);
  /* One running on each thread, and `queue` more waiting. */
  if (atomic_load(&p->stopping) || p->len + (unsigned)p->running >= p->cap) {
    pthread_mutex_unlock(&p->lock);
    return -1;
  }
  q->cn->handed = 1;
  /* Suspended before any pool thread can see it: resuming then always follows suspending. */
  MHD_suspend_connection(q->c);
  p->ring[(p->head + p->len) % p->cap] = (job){*q, r};
  p->len++;
  pthread_cond_signal(&p->more);
  pthread_mutex_unlock(&p->lock);
  return 0;
}

int http_pool_stopping(const http_pool *p) { return p && atomic_load(&p->stopping); }

const char *http_pool_name(const http_pool *p) { return p->name; }
unsigned http_pool_threads(const http_pool *p) { return p->cap - p->queue; }
unsigned http_pool_queue(const http_pool *p) { return p->queue; }

void http_pool_load(http_pool *p, int *queued, int *running) {
  *queued = *running = 0;
  if (!p) return;
  pthread_mutex_lock(&p->lock);
  *queued = (int)p->len;
  *running = p->running;
  pthread_mutex_unlock(&p->lock);
}

void http_pool_stop(http_pool *p) {
  if (!p || atomic_exchange(&p->stopping, 1)) return;
  pthread_mutex_lock(&p->lock);
  pthread_cond_broadcast(&p->more);
  pthread_mutex_unlock(&p->lock);
  for (unsigned i = 0; i < p->nthreads; i++) pthread_join(p->threads[i], NULL);
  p->nthreads = 0;
}

void http_pool_free(http_pool *p) {
  if (!p) return;
  http_pool_stop(p);
  pthread_mutex_destroy(&p->lock);
  pthread_cond_destroy(&p->more);
  px_free(p->ring);
  px_free(p->threads);
  px_free(p);
}
