"""Routes: images."""

from fastapi import APIRouter

router = APIRouter()
