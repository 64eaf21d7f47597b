/* Shared by the tests that step whole runs: a world for scenario p, or a failed test. */
#ifndef TESTS_TEST_WORLD_UTIL_H
#define TESTS_TEST_WORLD_UTIL_H

#include "test_util.h"
#include "world.h"

static inline world_t *make_world(const params_t *p)
{
    world_t *w = NULL;
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(world_create(&w, p, &err), SIM_OK);
    return w;
}

#endif
