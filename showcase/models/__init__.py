"""The showcase's models: project pages under one projects index, and their categories."""

from showcase.models.category import Category
from showcase.models.members import ProjectMember
from showcase.models.pages import (
    FeaturedProject,
    HomePage,
    ProjectGalleryImage,
    ProjectIndexPage,
    ProjectPage,
    ProjectPageTag,
)

__all__ = [
    "Category",
    "FeaturedProject",
    "HomePage",
    "ProjectGalleryImage",
    "ProjectMember",
    "ProjectIndexPage",
    "ProjectPage",
    "ProjectPageTag",
]
