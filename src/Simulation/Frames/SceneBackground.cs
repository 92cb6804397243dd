using CollabVlm.Imaging;

namespace CollabVlm.Simulation.Frames;

/// <summary>What fills the frame behind the signs.</summary>
public enum SceneBackground
{
    /// <summary>A two-colour gradient with soft blurred clutter (the original renderer's look).</summary>
    Gradient,
    /// <summary>The gradient and clutter overlaid with a low-contrast procedural texture (bricks, tiles or stripes) and sharp-edged clutter.</summary>
    Texture,
    /// <summary>A photo from <see cref="SceneTextRequest.Photo"/>, scaled to cover the frame, with the clutter on top.</summary>
    Photo,
}
