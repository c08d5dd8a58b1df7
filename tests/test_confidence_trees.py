"""The trees head reads as scikit-learn's gradient-boosted trees predict (no pickle)."""

import numpy as np

from qa.answer.confidence import Trees, head_from_dict


def test_trees_walk_each_tree_to_a_leaf_and_sum_the_leaves():
    # tree 0: feature 0 <= 0.5 -> -1.0 else +1.0; tree 1: a single leaf +0.5
    trees = Trees(0.25, np.array([0, 3]), np.array([0, -1, -1, -1]), np.array([0.5, 0, 0, 0]),
                  np.array([1, -1, -1, -1]), np.array([2, -1, -1, -1]), np.array([0.0, -1.0, 1.0, 0.5]))
    rows = np.array([[0.0, 9.0], [1.0, 9.0]])
    expected = 1 / (1 + np.exp(-np.array([0.25 - 1.0 + 0.5, 0.25 + 1.0 + 0.5])))
    assert np.allclose(trees.probability(rows), expected)
    again = head_from_dict(trees.to_dict())
    assert isinstance(again, Trees) and np.allclose(again.probability(rows), expected)
    assert len(trees.probability(np.zeros((0, 2)))) == 0
