// Package ttlmap stands in for go.omarpolo.com/ttlmap, which plakar v1.1.4 imports
// but whose module host the Go proxy here refuses. plakar only uses it for the web
// UI's signed download links (New, AutoExpire, Add, Get), which our tests never touch,
// so this keeps the same behaviour: entries expire after the TTL.
package ttlmap

import (
	"sync"
	"time"
)

type entry[V any] struct {
	value   V
	expires time.Time
}

type Map[K comparable, V any] struct {
	mu  sync.Mutex
	ttl time.Duration
	m   map[K]entry[V]
}

func New[K comparable, V any](ttl time.Duration) *Map[K, V] {
	return &Map[K, V]{ttl: ttl, m: make(map[K]entry[V])}
}

func (t *Map[K, V]) Add(k K, v V) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.m[k] = entry[V]{value: v, expires: time.Now().Add(t.ttl)}
}

func (t *Map[K, V]) Get(k K) (V, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.m[k]
	if !ok || time.Now().After(e.expires) {
		var zero V
		return zero, false
	}
	return e.value, true
}

// AutoExpire sweeps expired entries in the background.
func (t *Map[K, V]) AutoExpire() {
	go func() {
		for range time.Tick(t.ttl) {
			now := time.Now()
			t.mu.Lock()
			for k, e := range t.m {
				if now.After(e.expires) {
					delete(t.m, k)
				}
			}
			t.mu.Unlock()
		}
	}()
}
