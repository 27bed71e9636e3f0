"""Routes: volumes."""

from fastapi import APIRouter

router = APIRouter()
