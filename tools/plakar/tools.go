//go:build tools

// Package tools pins the plakar binary the end-to-end tests run against.
package tools

import _ "github.com/PlakarKorp/plakar"
