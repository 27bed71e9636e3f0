"""Routes: scripts."""

from fastapi import APIRouter

router = APIRouter()
