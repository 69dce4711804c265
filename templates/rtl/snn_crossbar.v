// snn_crossbar: a permutation network between N ports and N banks: output i carries input
// sel[i] (combinational). The junctions use it to let lanes read any bank, and to route
// each bank's δ sum from the lane that computed it. Each output bit is an N-way multiplexer
// over one bit of every input (selecting a whole word would make a shifter of the index).
`default_nettype none
module snn_crossbar #(
    parameter N     = 4,
    parameter WIDTH = 8,
    parameter SEL_W = 2
) (
    input  wire [N*WIDTH-1:0] in,
    input  wire [N*SEL_W-1:0] sel,
    output wire [N*WIDTH-1:0] out
);
    // Bit b of every input side by side, so that each output bit is one N-way selection.
    genvar i, b, k;
    generate
        for (b = 0; b < WIDTH; b = b + 1) begin : bit_slice
            wire [N-1:0] column;
            for (k = 0; k < N; k = k + 1) begin : gather
                assign column[k] = in[WIDTH*k + b];
            end
            for (i = 0; i < N; i = i + 1) begin : port
                assign out[WIDTH*i + b] = column[sel[SEL_W*i +: SEL_W]];
            end
        end
    endgenerate
endmodule
`default_nettype wire
