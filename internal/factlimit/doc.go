// Package factlimit holds the bounds on a purchase or return that every
// later step can compute with exactly: the customer service refuses a fact
// outside them when it is recorded, so loyalty never meets a recorded
// purchase it cannot earn on, and metrics never a total that overflows.
//
// The figures are loyalty's engine limits (exact int64 arithmetic in minor
// units and micro-units of quantity); they live here so the customer
// service and loyalty state them once.
package factlimit
